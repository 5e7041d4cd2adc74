using Loam.Storage;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Snapshots;

public sealed class ModifyVolumeTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    private StoredVolume Thin() => _h.Provisioner.Create(StorageHarness.Spec("v", required: 8 * ByteSize.MiB, limit: 8 * ByteSize.MiB) with
    {
        Capabilities = [new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter)],
    });

    [Fact]
    public void Thick_allocates_the_whole_image_and_is_recorded()
    {
        var volume = Thin();

        var modified = _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thick" });

        Assert.True(_h.Images.AllocatedBytes(volume.ImagePath) >= 8 * ByteSize.MiB);
        Assert.Equal(Provisioning.Thick, _h.Store.Find(volume.Id)!.Record.Provisioning);
        Assert.Equal("thick", modified.Record.MutableParameters["provisioning"]);
    }

    [Fact]
    public void Thin_after_thick_keeps_the_blocks_but_changes_the_record()
    {
        var volume = _h.Provisioner.Modify(Thin(), new Dictionary<string, string> { ["provisioning"] = "thick" });

        _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thin" });

        Assert.True(_h.Images.AllocatedBytes(volume.ImagePath) >= 8 * ByteSize.MiB);
        Assert.Equal(Provisioning.Thin, _h.Store.Find(volume.Id)!.Record.Provisioning);
    }

    [Fact]
    public void Unknown_keys_or_values_are_invalid_and_change_nothing()
    {
        var volume = Thin();

        var key = Assert.Throws<StorageException>(() => _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thick", ["iops"] = "1" }));
        var value = Assert.Throws<StorageException>(() => _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "fat" }));

        Assert.Equal(StorageError.InvalidArgument, key.Error);
        Assert.Equal(StorageError.InvalidArgument, value.Error);
        var stored = _h.Store.Find(volume.Id)!.Record;
        Assert.Equal(Provisioning.Thin, stored.Provisioning);
        Assert.Empty(stored.MutableParameters);
        Assert.True(_h.Images.AllocatedBytes(volume.ImagePath) < ByteSize.MiB);
    }

    [Fact]
    public void Thick_without_room_is_resource_exhausted_and_changes_nothing()
    {
        var volume = Thin();
        _h.Space.AvailableBytes = ByteSize.MiB;

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Modify(volume, new Dictionary<string, string> { ["provisioning"] = "thick" }));

        Assert.Equal(StorageError.ResourceExhausted, e.Error);
        Assert.Equal(Provisioning.Thin, _h.Store.Find(volume.Id)!.Record.Provisioning);
    }
}
