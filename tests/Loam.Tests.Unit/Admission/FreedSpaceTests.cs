using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Admission;

/// <summary>
/// btrfs and xfs count a deleted image's blocks as used until they commit; a create must not wait for that.
/// </summary>
public sealed class FreedSpaceTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_create_refused_for_free_space_syncs_the_pool_and_asks_again_once()
    {
        _h.Space.TotalBytes = ByteSize.GiB;
        _h.Space.AvailableBytes = 100 * ByteSize.MiB;
        // A delete just freed 60 MiB the filesystem has not committed yet.
        _h.Space.PendingFreeBytes = 60 * ByteSize.MiB;

        var volume = _h.Provisioner.Create(Thick("after-delete", 80 * ByteSize.MiB));

        Assert.Equal(80 * ByteSize.MiB, volume.Record.CapacityBytes);
        Assert.Equal(1, _h.Space.Syncs);
    }

    [Fact]
    public void A_refusal_that_free_space_cannot_change_does_not_sync()
    {
        _h.Space.TotalBytes = 64 * ByteSize.MiB;
        _h.Space.AvailableBytes = 64 * ByteSize.MiB;

        var spec = StorageHarness.Spec("too-big", required: ByteSize.GiB);
        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(spec));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(0, _h.Space.Syncs);
    }

    [Fact]
    public void Space_still_missing_after_the_sync_is_resource_exhausted()
    {
        _h.Space.AvailableBytes = 10 * ByteSize.MiB;

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Create(Thick("big", 80 * ByteSize.MiB)));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(1, _h.Space.Syncs);
        Assert.Empty(Directory.GetFiles(_h.Pool.VolumesDirectory));
    }

    private static CreateVolumeSpec Thick(string name, long bytes) =>
        StorageHarness.Spec(name, required: bytes, limit: bytes, parameters: new() { ["provisioning"] = "thick" }) with
        {
            Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
        };
}
