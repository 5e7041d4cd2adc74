using Loam.Storage.Nodes;
using Loam.Storage.Os;

namespace Loam.Storage.Pools;

/// <summary>
/// A pool has one server per role on each node: a driver holds a lock per pool and role while
/// it serves (<c>PATH/owners/ROLE.lock</c>), and a second process of the same role on the same
/// host refuses to start, naming the first. Roles lock apart, so a controller-mode and a
/// node-mode process may share a pool on one host (a split deployment), while two drivers in
/// mode all (say a Swarm plugin and a Kubernetes DaemonSet) may not. In a shared pool the lock
/// files are per node (<c>ROLE-NODE.lock</c>): locks on a network filesystem reach every node,
/// and each node rightly serves the pool once.
/// </summary>
public sealed class PoolOwnership(IFileLocks locks)
{
    public const string OwnersFolder = "owners";

    /// <returns>the held locks; disposing releases them all.</returns>
    /// <exception cref="StorageException">FailedPrecondition naming the holder of a pool served already.</exception>
    public IDisposable Acquire(PoolSet pools, IReadOnlyCollection<PoolRole> roles, PoolServer self)
    {
        var held = new List<IDisposable>();
        try
        {
            foreach (var pool in pools)
            {
                foreach (var role in roles)
                {
                    var path = LockPath(pool, role, self.NodeId);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var attempt = locks.TryLock(path);
                    if (attempt.Busy)
                        throw StorageException.FailedPrecondition(
                            $"pool '{pool.Name}' at {pool.Root} is already served as {Name(role)} on this node by "
                            + $"{locks.ReadHolder(path) ?? "another process"}; "
                            + "stop that driver or give this one another pool");
                    // A filesystem without flock cannot tell two servers apart: serve it unguarded, as before.
                    if (attempt.Held is { } lease)
                    {
                        held.Add(lease);
                        lease.Describe(self.ToString());
                    }
                }
            }
        }
        catch
        {
            Release(held);
            throw;
        }
        return new Held(held);
    }

    public static string LockPath(Pool pool, PoolRole role, string nodeId)
    {
        if (!pool.Shared)
            return Path.Combine(pool.Root, OwnersFolder, Name(role) + ".lock");
        if (!NodeIds.IsValid(nodeId))
            throw StorageException.InvalidArgument(
                $"node ID '{nodeId}' cannot name a lock file in shared pool '{pool.Name}'");
        return Path.Combine(pool.Root, OwnersFolder, $"{Name(role)}-{nodeId}.lock");
    }

    private static string Name(PoolRole role) => role.ToString().ToLowerInvariant();

    private static void Release(List<IDisposable> held)
    {
        foreach (var item in held)
            item.Dispose();
    }

    private sealed class Held(List<IDisposable> held) : IDisposable
    {
        public void Dispose() => Release(held);
    }
}
