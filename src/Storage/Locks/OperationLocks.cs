using System.Collections.Concurrent;

namespace Loam.Storage.Locks;

/// <summary>
/// One operation at a time per key (a volume or snapshot ID, a target path). A second
/// caller is not queued: it gets Aborted at once, as the CSI spec asks, and the CO retries.
/// Two layers: an in-memory set (callers in this process), then, for keys that are valid
/// resource IDs, the resource's lock files in every pool (<see cref="PoolLockFiles"/>), which a
/// controller and a node plugin in other processes honour too. Other keys stay process-local.
/// </summary>
public sealed class OperationLocks(PoolLockFiles lockFiles)
{
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);

    /// <exception cref="StorageException">Aborted when <paramref name="key"/> is held here or in another process.</exception>
    public Lease Acquire(string key, string operation)
    {
        if (!_held.TryAdd(key, operation))
        {
            var holder = _held.TryGetValue(key, out var other) ? other : "another operation";
            throw StorageException.Aborted($"{holder} is already in progress for {key}; retry when it ends");
        }
        try
        {
            var shared = PoolLockFiles.TryParseKey(key, out var id) ? lockFiles.TakeAll(id, operation) : null;
            return new Lease(this, key, shared);
        }
        catch
        {
            Release(key);
            throw;
        }
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

    private void Release(string key) => _held.TryRemove(key, out _);

    private sealed class Leases : List<Lease>, IDisposable
    {
        public void Dispose() => ForEach(lease => lease.Dispose());
    }

    public sealed class Lease : IDisposable
    {
        private OperationLocks? _owner;
        private readonly string _key;
        private readonly IDisposable? _shared;

        internal Lease(OperationLocks owner, string key, IDisposable? shared)
        {
            _owner = owner;
            _key = key;
            _shared = shared;
        }

        /// <summary>Releases the lock files first, so no caller here is refused for a lock already let go.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _owner, null) is not { } owner)
                return;
            try
            {
                _shared?.Dispose();
            }
            finally
            {
                owner.Release(_key);
            }
        }
    }
}
