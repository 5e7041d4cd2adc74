using Loam.Storage;
using Loam.Storage.Records;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;
using static Loam.Tests.Unit.Snapshots.SnapshotTestKit;

namespace Loam.Tests.Unit.Snapshots;

public sealed class SnapshotContentSourceTests : IDisposable
{
    private readonly StorageHarness _h = new(sharedPool: true);

    public void Dispose() => _h.Dispose();

    private static CreateVolumeSpec From(string name, ContentSource source, long size, string pool = "default", string provisioning = "thin") =>
        StorageHarness.Spec(name, required: size, parameters: new() { ["pool"] = pool, ["provisioning"] = provisioning }) with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
            Source = source,
        };

    [Fact]
    public void A_restore_reads_the_snapshots_bytes_grown_to_the_requested_size_and_is_writable()
    {
        var volume = VolumeWith(_h, "v", "snapshotted");
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        Write(volume.ImagePath, "overwritten", offset: ByteSize.MiB);

        var restored = _h.Provisioner.Create(From("r", new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value), 16 * ByteSize.MiB));

        Assert.Equal("snapshotted", Read(restored.ImagePath, 11, ByteSize.MiB));
        Assert.Equal(16 * ByteSize.MiB, new FileInfo(restored.ImagePath).Length);
        Assert.Equal(16 * ByteSize.MiB, restored.Record.CapacityBytes);
        Assert.Equal(0x1B0, Mode(restored.ImagePath)); // 0660
        Assert.Equal(new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value), restored.Record.Source);
    }

    [Fact]
    public void A_clone_of_a_staged_volume_is_copied_while_its_filesystem_is_frozen()
    {
        var volume = VolumeWith(_h, "v", "live data");
        Stage(_h, volume, "/staging/v");

        var clone = _h.Provisioner.Create(From("c", new ContentSource(ResourceKind.Volume, volume.Id.Value), 8 * ByteSize.MiB));

        Assert.Equal("live data", Read(clone.ImagePath, 9, ByteSize.MiB));
        Assert.Equal(["/staging/v"], Assert.Single(_h.Copier.Copies).FrozenDuringCopy);
        Assert.Empty(_h.Freezer.Frozen);
    }

    [Fact]
    public void A_clone_into_another_pool_is_copied_across()
    {
        var volume = VolumeWith(_h, "v", "travels");

        var clone = _h.Provisioner.Create(From("c", new ContentSource(ResourceKind.Volume, volume.Id.Value), 8 * ByteSize.MiB, pool: "shared"));

        Assert.Equal("shared", clone.Pool.Name);
        Assert.Equal("travels", Read(clone.ImagePath, 7, ByteSize.MiB));
    }

    [Fact]
    public void A_thick_restore_allocates_the_whole_image()
    {
        var volume = VolumeWith(_h, "v", "x");
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);

        var restored = _h.Provisioner.Create(From("r", new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value), 16 * ByteSize.MiB, provisioning: "thick"));

        Assert.True(_h.Images.AllocatedBytes(restored.ImagePath) >= 16 * ByteSize.MiB);
        Assert.False(_h.Copier.Copies[^1].Reflink, "a thick volume must own its blocks, never share them");
    }

    [Fact]
    public void A_missing_source_is_not_found_and_leaves_nothing()
    {
        var snap = Assert.Throws<StorageException>(() => _h.Provisioner.Create(From("r", new ContentSource(ResourceKind.Snapshot, "snap-00000000000000000000000000000000"), 8 * ByteSize.MiB)));
        var vol = Assert.Throws<StorageException>(() => _h.Provisioner.Create(From("c", new ContentSource(ResourceKind.Volume, "vol-00000000000000000000000000000000"), 8 * ByteSize.MiB)));

        Assert.Equal(StorageError.NotFound, snap.Error);
        Assert.Equal(StorageError.NotFound, vol.Error);
        Assert.Empty(Directory.GetFiles(_h.Pool.VolumesDirectory));
    }

    [Fact]
    public void A_request_smaller_than_the_source_is_out_of_range()
    {
        var volume = VolumeWith(_h, "v", "x", size: 16 * ByteSize.MiB);
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        var spec = From("r", new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value), 8 * ByteSize.MiB) with { Capacity = new CapacityRange(8 * ByteSize.MiB, 8 * ByteSize.MiB) };

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(spec));

        Assert.Equal(StorageError.OutOfRange, e.Error);
        Assert.Contains(snapshot.Id.Value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_copy_leaves_no_image_and_no_record()
    {
        var volume = VolumeWith(_h, "v", "x");
        _h.Copier.NextFailure = StorageException.ResourceExhausted("pool filesystem is full");

        Assert.Throws<StorageException>(() => _h.Provisioner.Create(From("c", new ContentSource(ResourceKind.Volume, volume.Id.Value), 8 * ByteSize.MiB)));

        // The source's lock file stays with its record (the clone took the source's lock).
        var files = Directory.GetFiles(_h.Pool.VolumesDirectory).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal));
        Assert.Equal([volume.ImagePath, _h.Pool.RecordPath(volume.Id)], files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_clone_source_busy_with_another_operation_is_aborted()
    {
        var volume = VolumeWith(_h, "v", "x");
        using var _ = _h.Locks.Acquire(volume.Id.Value, "ControllerExpandVolume");

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(From("c", new ContentSource(ResourceKind.Volume, volume.Id.Value), 8 * ByteSize.MiB)));

        Assert.Equal(StorageError.Aborted, e.Error);
    }

    [Fact]
    public void A_retried_restore_returns_the_volume_even_after_its_snapshot_was_deleted()
    {
        var volume = VolumeWith(_h, "v", "x");
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        var spec = From("r", new ContentSource(ResourceKind.Snapshot, snapshot.Id.Value), 0) with { Capacity = default };
        var restored = _h.Provisioner.Create(spec);
        _h.SnapshotMaker.Delete(snapshot.Id);

        var again = _h.Provisioner.Create(spec);

        Assert.Equal(restored.Id, again.Id);
        Assert.Equal(restored.Record.CapacityBytes, again.Record.CapacityBytes);
    }
}
