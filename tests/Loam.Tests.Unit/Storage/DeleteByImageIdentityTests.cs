using Loam.Storage;
using Loam.Storage.Os;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

/// <summary>
/// DeleteVolume's "a loop device still holds the image" refusal asks who the device's backing
/// file is (device and inode), never what the kernel's path text says: that text is relative to
/// the mount namespace that attached it. Both sides of the rule, on the harness's wiring.
/// </summary>
public sealed class DeleteByImageIdentityTests : IDisposable
{
    private readonly StorageHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_device_holding_the_image_blocks_the_delete_whatever_path_text_the_kernel_shows()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("held"));
        var device = _h.Kernel.Attach(volume.ImagePath, readOnly: false, directIo: true);
        _h.Kernel.SeenFromAnotherNamespace(device.DevicePath, "/volumes/" + Path.GetFileName(volume.ImagePath));

        var e = Assert.Throws<StorageException>(() => _h.Provisioner.Delete(volume.Id));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains(device.DevicePath, e.Message, StringComparison.Ordinal);
        Assert.NotNull(_h.Store.Find(volume.Id));
    }

    [Fact]
    public void A_device_whose_path_text_names_the_image_but_holds_another_file_does_not_block_the_delete()
    {
        var volume = _h.Provisioner.Create(StorageHarness.Spec("text-only"));
        var device = _h.Kernel.Attach(volume.ImagePath, readOnly: false, directIo: true);
        _h.Kernel.Change(device.DevicePath,
            d => d with { Image = new ImageIdentity(d.Image.Device, d.Image.Inode + 1) });

        _h.Provisioner.Delete(volume.Id);

        Assert.Null(_h.Store.Find(volume.Id));
        Assert.False(File.Exists(volume.ImagePath));
    }
}
