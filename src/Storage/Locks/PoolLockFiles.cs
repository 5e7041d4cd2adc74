using System.Collections.Concurrent;
using Loam.Storage.Os;
using Loam.Storage.Pools;

namespace Loam.Storage.Locks;

/// <summary>
/// The cross-process half of a resource's lock: an flock on <c>ID.lock</c> beside the resource's
/// record, in every pool, so that a controller and a node plugin (or two nodes on a shared pool
/// whose filesystem carries flock) never work on one volume at once. Only a validated
/// <see cref="ResourceId"/> ever names a lock file.
/// <para>
/// Lifetime: a lock file is unlinked only by its holder, while holding it, and only when the
/// pool has no record of the resource (it was deleted, or never made there); every taker checks
/// after the grant that the path still names the file it locked, so the unlink is safe. A
/// filesystem without flock (ENOLCK, EOPNOTSUPP) degrades to the process-local lock, reported once per pool.
/// </para>
/// </summary>
public sealed class PoolLockFiles(PoolSet pools, IFileLocks files, IPoolLockObserver observer)
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public PoolSet Pools => pools;

    /// <summary>A key names a resource when it is a valid ID of any kind; any other key stays process-local.</summary>
    public static bool TryParseKey(string key, out ResourceId id) =>
        ResourceId.TryParse(key, ResourceKind.Volume, out id)
        || ResourceId.TryParse(key, ResourceKind.Snapshot, out id)
        || ResourceId.TryParse(key, ResourceKind.GroupSnapshot, out id);

    /// <summary>Takes the resource's lock file in every pool, all or none.</summary>
    /// <exception cref="StorageException">Aborted when another process holds it in any pool.</exception>
    public IDisposable TakeAll(ResourceId id, string operation)
    {
        var taken = new Taken();
        try
        {
            foreach (var pool in pools)
            {
                if (TryTake(pool, id) is not { } held)
                    throw StorageException.Aborted(
                        $"another process sharing pool '{pool.Name}' (a controller or node plugin) " +
                        $"is working on {id}; " +
                        $"{operation} can run when it ends: retry");
                taken.Add(held);
            }
            return taken;
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    /// <returns>the held lock, or null when another process holds it.</returns>
    public PoolLock? TryTake(Pool pool, ResourceId id)
    {
        var attempt = files.TryLock(pool.LockPath(id));
        if (attempt.Busy)
            return null;
        if (attempt.Unsupported is { } why && _reported.TryAdd(pool.Name, true))
            observer.CrossProcessLockingUnavailable(pool, why);
        return new PoolLock(pool, id, attempt.Held);
    }

    /// <summary>
    /// One pool's lock on one resource. <see cref="Exclusive"/> is false where the pool could not
    /// lock (no flock, or its folder is missing): then it proves nothing about other processes.
    /// </summary>
    public sealed class PoolLock(Pool pool, ResourceId id, IFileLock? held) : IDisposable
    {
        private IFileLock? _held = held;

        public bool Exclusive => _held is not null;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _held, null) is not { } lockFile)
                return;
            if (File.Exists(pool.RecordPath(id)))
                lockFile.Dispose();
            else
                lockFile.RemoveAndRelease();
        }
    }

    private sealed class Taken : List<PoolLock>, IDisposable
    {
        public void Dispose() => ForEach(held => held.Dispose());
    }
}
