using Loam.Storage;
using Loam.Tests.Unit.Fakes;
using static Loam.Tests.Unit.Snapshots.SnapshotTestKit;

namespace Loam.Tests.Unit.Snapshots;

public sealed class SnapshotMakerTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_snapshot_holds_the_volumes_bytes_in_a_read_only_image_sized_like_the_source()
    {
        var volume = VolumeWith(_h, "v", "before");

        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        Write(volume.ImagePath, "after!", offset: ByteSize.MiB);

        Assert.Equal("before", Read(snapshot.ImagePath, 6, ByteSize.MiB));
        Assert.Equal(8 * ByteSize.MiB, snapshot.Record.SizeBytes);
        Assert.Equal(8 * ByteSize.MiB, new FileInfo(snapshot.ImagePath).Length);
        Assert.True(snapshot.Record.AllocatedBytes < 2 * ByteSize.MiB, $"a sparse copy allocates only the data, got {snapshot.Record.AllocatedBytes}");
        Assert.Equal(0x120, Mode(snapshot.ImagePath)); // 0440
        Assert.Equal(volume.Id.Value, _h.Snapshots.Find(snapshot.Id)?.Record.SourceVolumeId);
    }

    [Fact]
    public void The_same_request_returns_the_existing_snapshot_without_copying_again()
    {
        var volume = VolumeWith(_h, "v", "data");
        var first = _h.SnapshotMaker.Create("s", volume.Id.Value);

        var second = _h.SnapshotMaker.Create("s", volume.Id.Value);

        Assert.Equal(first, second);
        Assert.Single(_h.Copier.Copies);
    }

    [Fact]
    public void The_same_name_with_another_source_already_exists_and_a_missing_source_is_not_found()
    {
        var a = VolumeWith(_h, "a", "a");
        var b = VolumeWith(_h, "b", "b");
        _h.SnapshotMaker.Create("s", a.Id.Value);

        var taken = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", b.Id.Value));
        var missing = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("t", "vol-00000000000000000000000000000000"));

        Assert.Equal(StorageError.AlreadyExists, taken.Error);
        Assert.Equal(StorageError.NotFound, missing.Error);
    }

    [Fact]
    public void A_volume_staged_here_is_frozen_during_the_copy_and_thawed_after()
    {
        var volume = VolumeWith(_h, "v", "data");
        Stage(_h, volume, "/staging/v");

        _h.SnapshotMaker.Create("s", volume.Id.Value);

        Assert.Equal(["/staging/v"], Assert.Single(_h.Copier.Copies).FrozenDuringCopy);
        Assert.Equal(["freeze /staging/v", "thaw /staging/v"], _h.Freezer.Calls);
        Assert.Empty(_h.Freezer.Frozen);
    }

    [Fact]
    public void A_failed_copy_thaws_the_volume_and_leaves_nothing_behind()
    {
        var volume = VolumeWith(_h, "v", "data");
        Stage(_h, volume, "/staging/v");
        _h.Copier.NextFailure = StorageException.ResourceExhausted("pool filesystem is full");

        var e = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", volume.Id.Value));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Empty(_h.Freezer.Frozen);
        Assert.Contains("thaw /staging/v", _h.Freezer.Calls);
        Assert.Empty(Directory.GetFiles(_h.Pool.SnapshotsDirectory));
    }

    [Fact]
    public void At_start_up_a_volume_left_frozen_is_thawed_and_others_are_left_as_they_are()
    {
        var frozen = VolumeWith(_h, "frozen", "x");
        var idle = VolumeWith(_h, "idle", "y");
        Stage(_h, frozen, "/staging/frozen");
        Stage(_h, idle, "/staging/idle");
        _h.Freezer.Freeze("/staging/frozen");

        var thawed = _h.VolumeFreezer.ThawLeftovers([_h.Pool]);

        Assert.Equal(["/staging/frozen"], thawed);
        Assert.Empty(_h.Freezer.Frozen);
    }

    [Fact]
    public void Volumes_not_staged_or_staged_read_only_are_not_frozen()
    {
        var idle = VolumeWith(_h, "idle", "x");
        var readOnly = VolumeWith(_h, "ro", "y");
        Stage(_h, readOnly, "/staging/ro", readOnly: true);

        _h.SnapshotMaker.Create("s1", idle.Id.Value);
        _h.SnapshotMaker.Create("s2", readOnly.Id.Value);

        Assert.Empty(_h.Freezer.Calls);
    }

    [Fact]
    public void A_freeze_that_fails_fails_the_snapshot_before_any_copy()
    {
        var volume = VolumeWith(_h, "v", "data");
        Stage(_h, volume, "/staging/v");
        _h.Freezer.RefuseFreezeOf = "/staging/v";

        var e = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", volume.Id.Value));

        Assert.Equal(StorageError.Unavailable, e.Error);
        Assert.Empty(_h.Copier.Copies);
        Assert.Null(_h.Snapshots.Find(Loam.Storage.Snapshots.SnapshotMaker.IdFor("s")));
    }

    [Fact]
    public void Delete_removes_record_and_image_and_deleting_again_finds_nothing()
    {
        var volume = VolumeWith(_h, "v", "data");
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);

        Assert.True(_h.SnapshotMaker.Delete(snapshot.Id));
        Assert.False(_h.SnapshotMaker.Delete(snapshot.Id));

        Assert.False(File.Exists(snapshot.ImagePath));
        Assert.Null(_h.Snapshots.Find(snapshot.Id));
    }

    [Fact]
    public void Delete_of_an_image_without_a_record_finishes_the_half_made_snapshot()
    {
        var id = Loam.Storage.Snapshots.SnapshotMaker.IdFor("half");
        File.WriteAllText(_h.Pool.ImagePath(id), "torn");

        Assert.False(_h.SnapshotMaker.Delete(id));

        Assert.False(File.Exists(_h.Pool.ImagePath(id)));
    }

    [Fact]
    public void Deleting_the_source_volume_leaves_its_snapshots_whole()
    {
        var volume = VolumeWith(_h, "v", "keep me");
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);

        _h.Provisioner.Delete(volume.Id);

        Assert.False(File.Exists(volume.ImagePath));
        Assert.Equal("keep me", Read(snapshot.ImagePath, 7, ByteSize.MiB));
    }
}
