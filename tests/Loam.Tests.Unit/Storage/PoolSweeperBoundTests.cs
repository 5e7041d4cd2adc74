using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Tests.Unit.Fakes;
using Moq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Storage;

/// <summary>
/// The start-up sweep on a pool other processes work in: what another process is making (its
/// resource's lock is held) stays; in a shared pool, or where flock is missing, a leftover must
/// also lie unmodified for <see cref="PoolSweeper.StaleAfter"/>.
/// </summary>
public sealed class PoolSweeperBoundTests : IDisposable
{
    private readonly StorageHarness _h = new(sharedPool: true);

    public void Dispose() => _h.Dispose();

    private Pool Shared => _h.PoolSet.Find("shared")!;

    private PoolSweeper Sweeper(PoolLockFiles? locks = null) =>
        new(_h.Images, _h.Snapshots, locks ?? _h.LockFiles, TimeProvider.System, NullLogger<PoolSweeper>.Instance);

    private PoolLockFiles OtherProcess() => new(_h.PoolSet, new FileLocks(), new RecordingLockObserver());

    /// <summary>An ephemeral image a node is making (no record yet) and a record write it has under way.</summary>
    private static (ResourceId Id, string Image, string Temp) InFlight(Pool pool, string name)
    {
        var id = ResourceId.FromName(ResourceKind.Volume, name);
        var image = pool.ImagePath(id);
        File.WriteAllText(image, "being made");
        var temp = pool.RecordPath(id) + ".0123abcd" + DurableFiles.TempSuffix;
        File.WriteAllText(temp, "being written");
        return (id, image, temp);
    }

    private static void Age(params string[] paths)
    {
        foreach (var path in paths)
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - PoolSweeper.StaleAfter - TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("shared")]
    public void What_another_process_holds_the_lock_of_stays_however_old_it_is(string poolName)
    {
        var pool = _h.PoolSet.Find(poolName)!;
        var (id, image, temp) = InFlight(pool, "csi-ephemeral:pod-1");
        Age(image, temp);
        using var held = OtherProcess().TakeAll(id, "NodePublishVolume");

        Assert.Empty(Sweeper().Sweep(pool));

        Assert.True(File.Exists(image));
        Assert.True(File.Exists(temp));
    }

    [Fact]
    public void In_a_node_local_pool_a_leftover_whose_lock_is_free_goes_at_once()
    {
        var (_, image, temp) = InFlight(_h.Pool, "crashed");

        var removed = Sweeper().Sweep(_h.Pool);

        Assert.Equal(new[] { image, temp }.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(_h.Pool.VolumesDirectory));
    }

    [Fact]
    public void In_a_shared_pool_a_fresh_leftover_stays_and_an_old_one_goes()
    {
        var fresh = InFlight(Shared, "fresh");
        var old = InFlight(Shared, "old");
        Age(old.Image, old.Temp);

        var removed = Sweeper().Sweep(Shared);

        Assert.Equal(new[] { old.Image, old.Temp }.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(fresh.Image));
        Assert.True(File.Exists(fresh.Temp));
    }

    [Fact]
    public void A_temp_file_that_names_no_resource_goes_only_once_it_is_old()
    {
        var fresh = Path.Combine(_h.Pool.NodesDirectory, "node-b.json.0001" + DurableFiles.TempSuffix);
        var old = Path.Combine(_h.Pool.NodesDirectory, "node-c.json.0002" + DurableFiles.TempSuffix);
        File.WriteAllText(fresh, "{}");
        File.WriteAllText(old, "{}");
        Age(old);

        Assert.Equal([old], Sweeper().Sweep(_h.Pool));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void Where_the_filesystem_has_no_flock_only_the_age_decides()
    {
        var files = new Mock<IFileLocks>();
        files.Setup(f => f.TryLock(It.IsAny<string>())).Returns(FileLockAttempt.CannotLock("flock: EOPNOTSUPP"));
        var locks = new PoolLockFiles(_h.PoolSet, files.Object, new RecordingLockObserver());
        var fresh = InFlight(_h.Pool, "fresh");
        var old = InFlight(_h.Pool, "old");
        Age(old.Image, old.Temp);

        var removed = Sweeper(locks).Sweep(_h.Pool);

        Assert.Equal(new[] { old.Image, old.Temp }.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(fresh.Image));
    }

    [Fact]
    public void An_image_whose_record_appears_is_no_leftover_and_the_sweep_leaves_no_lock_files()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("kept"));
        var (_, image, _) = InFlight(_h.Pool, "gone");

        Sweeper().Sweep(_h.Pool);

        Assert.True(File.Exists(volume.ImagePath));
        Assert.False(File.Exists(image));
        Assert.Empty(Directory.EnumerateFiles(_h.Pool.VolumesDirectory, "*.lock"));
    }
}
