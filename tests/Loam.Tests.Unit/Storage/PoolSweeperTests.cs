using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Tests.Unit.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Storage;

public sealed class PoolSweeperTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    private PoolSweeper Sweeper() =>
        new(_h.Images, _h.Snapshots, _h.LockFiles, TimeProvider.System, NullLogger<PoolSweeper>.Instance);

    [Fact]
    public void The_sweep_removes_temp_files_and_images_without_records_and_keeps_volumes()
    {
        var kept = _h.Provisioner.Create(StorageHarness.Spec("kept"));
        var orphan = _h.Pool.ImagePath(ResourceId.FromName(ResourceKind.Volume, "orphan"));
        File.WriteAllText(orphan, "half-made");
        var temp = kept.Pool.RecordPath(kept.Id) + ".0123" + DurableFiles.TempSuffix;
        File.WriteAllText(temp, "torn");

        var removed = Sweeper().Sweep(_h.Pool);

        Assert.Equal(new[] { orphan, temp }.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(temp));
        Assert.True(File.Exists(kept.ImagePath));
        Assert.NotNull(_h.Store.Find(kept.Id));
    }

    [Fact]
    public void The_sweep_removes_snapshot_images_without_records_and_keeps_snapshots()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("v"));
        var kept = _h.SnapshotMaker.Create("kept", volume.Id.Value);
        var orphan = _h.Pool.ImagePath(ResourceId.FromName(ResourceKind.Snapshot, "orphan"));
        File.WriteAllText(orphan, "half-made");

        var removed = Sweeper().Sweep(_h.Pool);

        Assert.Equal([orphan], removed);
        Assert.True(File.Exists(kept.ImagePath));
        Assert.NotNull(_h.Snapshots.Find(kept.Id));
    }

    [Fact]
    public void The_sweep_removes_group_members_whose_group_was_never_recorded_and_keeps_whole_groups()
    {
        var a = _h.Provisioner.Create(StorageHarness.Spec("a"));
        var b = _h.Provisioner.Create(StorageHarness.Spec("b"));
        var whole = _h.GroupMaker.Create("whole", [a.Id.Value]);
        var torn = _h.GroupMaker.Create("torn", [b.Id.Value]);
        // What a crash between the members and the group record leaves.
        File.Delete(torn.Pool.RecordPath(torn.Id));
        var member = torn.Members.Single();

        var removed = Sweeper().Sweep(_h.Pool);

        Assert.Equal(new[] { member.ImagePath, _h.Pool.RecordPath(member.Id) }.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.Null(_h.Snapshots.Find(member.Id));
        Assert.NotNull(_h.Snapshots.Find(whole.Members.Single().Id));
    }
}
