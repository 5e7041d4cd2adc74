using System.Collections.Concurrent;

namespace Loam.Storage.Locks;

/// <summary>
/// One operation at a time per key (a volume or snapshot ID, a target path). A second
/// caller is not queued: it gets Aborted at once, as the CSI spec asks, and the CO retries.
/// </summary>
public sealed class OperationLocks
{
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);

    /// <exception cref="StorageException">Aborted when <paramref name="key"/> is held.</exception>
    public Lease Acquire(string key, string operation)
    {
        if (!_held.TryAdd(key, operation))
        {
            var holder = _held.TryGetValue(key, out var other) ? other : "another operation";
            throw StorageException.Aborted($"{holder} is already in progress for {key}; retry when it ends");
        }
        return new Lease(this, key);
    }

    /// <summary>Takes several keys, all or none (for group operations); disposing releases them all.</summary>
    public IDisposable AcquireAll(IEnumerable<string> keys, string operation)
    {
        var taken = new Leases();
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                taken.Add(Acquire(key, operation));
            return taken;
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    public bool IsHeld(string key) => _held.ContainsKey(key);

    private void Release(string key) => _held.TryRemove(key, out _);

    private sealed class Leases : List<Lease>, IDisposable
    {
        public void Dispose() => ForEach(lease => lease.Dispose());
    }

    public sealed class Lease : IDisposable
    {
        private OperationLocks? _owner;
        private readonly string _key;

        internal Lease(OperationLocks owner, string key)
        {
            _owner = owner;
            _key = key;
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _owner, null)?.Release(_key);
        }
    }
}
