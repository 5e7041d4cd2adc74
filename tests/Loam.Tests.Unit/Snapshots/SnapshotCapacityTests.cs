using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Snapshots;

public sealed class SnapshotCapacityTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    private StoredVolume Thick() => _h.Provisioner.Create(StorageHarness.Spec("thick", required: 8 * ByteSize.MiB, limit: 8 * ByteSize.MiB,
        parameters: new() { ["provisioning"] = "thick" }) with
    {
        Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
    });

    [Fact]
    public void A_reflinked_snapshot_of_a_thick_volume_holds_back_thick_capacity_until_the_volume_is_gone()
    {
        var volume = Thick();
        var snapshot = _h.SnapshotMaker.Create("s", volume.Id.Value);
        var thickBefore = _h.Capacity.Available(_h.Pool, Provisioning.Thick);
        var thinBefore = _h.Capacity.Available(_h.Pool, Provisioning.Thin);
        // This test folder cannot reflink; record what an xfs pool would have made.
        _h.Snapshots.Save(_h.Pool, snapshot.Record with { Reflinked = true, AllocatedBytes = 8 * ByteSize.MiB });

        Assert.Equal(thickBefore - (8 * ByteSize.MiB), _h.Capacity.Available(_h.Pool, Provisioning.Thick));
        // The blocks it will need are a thick promise: thin volumes may promise that much less (overcommit 1).
        Assert.Equal(thinBefore - (8 * ByteSize.MiB), _h.Capacity.Available(_h.Pool, Provisioning.Thin));
        _h.Provisioner.Delete(volume.Id);
        Assert.Equal(thickBefore, _h.Capacity.Available(_h.Pool, Provisioning.Thick));
    }

    [Fact]
    public void A_sparse_copy_is_counted_by_the_filesystem_alone()
    {
        var volume = Thick();
        var before = _h.Capacity.Available(_h.Pool, Provisioning.Thick);

        _h.SnapshotMaker.Create("s", volume.Id.Value);

        Assert.Equal(before, _h.Capacity.Available(_h.Pool, Provisioning.Thick));
    }

    [Fact]
    public void A_snapshot_of_a_thick_volume_without_room_for_its_blocks_is_resource_exhausted()
    {
        var volume = Thick();
        _h.Space.AvailableBytes = 4 * ByteSize.MiB;

        var e = Assert.Throws<StorageException>(() => _h.SnapshotMaker.Create("s", volume.Id.Value));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Empty(_h.Copier.Copies);
    }
}
