using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Pools;

namespace Loam.Tests.Unit.Storage;

public sealed class PoolOwnershipTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loam-unit", Guid.NewGuid().ToString("N"));
    private readonly FakeLocks _locks = new();

    private static readonly PoolServer First = new(100, "host-a", "all", "loam.csi.dev", "unix:///a.sock");
    private static readonly PoolServer Second = new(200, "host-a", "all", "loam.csi.dev", "unix:///b.sock");

    [Fact]
    public void A_second_server_of_the_same_role_is_refused_with_the_first_named_and_nothing_held()
    {
        var pools = Pools(("default", false), ("fast", false));
        var ownership = new PoolOwnership(_locks);
        using var held = ownership.Acquire(pools, [PoolRole.Node], First);

        var e = Assert.Throws<StorageException>(() => ownership.Acquire(Pools(("fast2", false), ("default", false)), [PoolRole.Node], Second));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains("already served as node on this node by pid 100 on node host-a (mode all, driver loam.csi.dev, endpoint unix:///a.sock)", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _locks.Held.Count);
    }

    [Fact]
    public void Roles_lock_apart_and_a_released_pool_can_be_taken_again()
    {
        var pools = Pools(("default", false));
        var ownership = new PoolOwnership(_locks);
        var node = ownership.Acquire(pools, [PoolRole.Node], First);
        using var controller = ownership.Acquire(pools, [PoolRole.Controller], Second);

        node.Dispose();
        using var again = ownership.Acquire(pools, [PoolRole.Node], Second);

        Assert.Equal(2, _locks.Held.Count);
    }

    [Fact]
    public void A_shared_pool_is_locked_per_node()
    {
        var pool = Pools(("nfs", true))[0];

        Assert.EndsWith("/owners/node-host-a.lock", PoolOwnership.LockPath(pool, PoolRole.Node, "host-a"), StringComparison.Ordinal);
        Assert.EndsWith("/owners/controller.lock", PoolOwnership.LockPath(Pools(("local", false))[0], PoolRole.Controller, "host-a"), StringComparison.Ordinal);
        Assert.Throws<StorageException>(() => PoolOwnership.LockPath(pool, PoolRole.Node, "../x"));
    }

    private PoolSet Pools(params (string Name, bool Shared)[] pools) =>
        new([.. pools.Select(p => new PoolOptions(p.Name, Path.Combine(_root, p.Name), Shared: p.Shared))]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private sealed class FakeLocks : IFileLocks
    {
        public Dictionary<string, string> Held { get; } = [];

        public FileLockAttempt TryLock(string path) =>
            Held.TryAdd(path, "") ? FileLockAttempt.Taken(new Lease(this, path)) : FileLockAttempt.HeldElsewhere;

        public string? ReadHolder(string path) => Held.GetValueOrDefault(path) is { Length: > 0 } text ? text : null;

        private sealed class Lease(FakeLocks owner, string path) : IFileLock
        {
            public void Describe(string holder) => owner.Held[path] = holder;

            public void RemoveAndRelease() => Dispose();

            public void Dispose() => owner.Held.Remove(path);
        }
    }
}
