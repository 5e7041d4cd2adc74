using Loam.Storage.Images;
using Loam.Storage.Os;

namespace Loam.Tests.Integration.Os;

/// <summary>The loop device seam against the real kernel, on pool filesystems made inside the test.</summary>
public sealed class LoopDevicesTests
{
    private readonly LoopDevices _loops = new();

    [RootTheory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public void Attach_binds_the_image_with_direct_io_where_the_pool_allows_it_and_detach_frees_the_device(string poolFs)
    {
        using var root = new TestRoot("loop");
        var pool = PoolFilesystem.Create(root, poolFs, 1L << 30);
        var image = MakeImage(pool, 64L << 20);

        var device = _loops.Attach(image, readOnly: false, directIo: true);

        Assert.Matches("^/dev/loop[0-9]+$", device.DevicePath);
        Assert.Equal(image, device.BackingFile);
        Assert.Equal(64L << 20, device.SizeBytes);
        Assert.False(device.ReadOnly);
        Assert.True(device.DirectIo, $"direct I/O was not in effect on a {poolFs} pool");
        Assert.Matches("^7:[0-9]+$", device.Number);
        Assert.Equal(device, Assert.Single(_loops.LiveHolders(new ImageFiles(), image)));

        _loops.Detach(device.DevicePath);

        Assert.Empty(_loops.LiveHolders(new ImageFiles(), image));
        _loops.Detach(device.DevicePath);
    }

    [RootFact]
    public void A_read_only_attach_gives_a_device_the_kernel_refuses_to_write()
    {
        using var root = new TestRoot("loopro");
        var pool = PoolFilesystem.Create(root, "ext4", 256L << 20);
        var image = MakeImage(pool, 8L << 20);

        var device = _loops.Attach(image, readOnly: true, directIo: true);

        Assert.True(device.ReadOnly);
        Assert.ThrowsAny<Exception>(() =>
        {
            using var stream = new FileStream(device.DevicePath, FileMode.Open, FileAccess.Write);
            stream.Write(new byte[512]);
            stream.Flush();
        });
    }

    [RootFact]
    public void RefreshSize_makes_the_device_follow_a_grown_image()
    {
        using var root = new TestRoot("loopgrow");
        var pool = PoolFilesystem.Create(root, "ext4", 256L << 20);
        var image = MakeImage(pool, 8L << 20);
        var device = _loops.Attach(image, readOnly: false, directIo: true);

        new ImageFiles().Grow(image, 24L << 20, allocate: false);
        _loops.RefreshSize(device.DevicePath);

        Assert.Equal(24L << 20, Assert.Single(_loops.LiveHolders(new ImageFiles(), image)).SizeBytes);
    }

    [RootFact]
    public async Task Concurrent_attaches_each_get_their_own_device()
    {
        using var root = new TestRoot("looprace");
        var pool = PoolFilesystem.Create(root, "ext4", 256L << 20);
        var images = Enumerable.Range(0, 8).Select(i => MakeImage(pool, 4L << 20, $"img{i}")).ToList();

        var devices = await Task.WhenAll(images.Select(image => Task.Run(() => _loops.Attach(image, readOnly: false, directIo: true))));

        Assert.Equal(8, devices.Select(d => d.DevicePath).Distinct().Count());
        Assert.Equal(images.Order(), devices.Select(d => d.BackingFile).Order());
    }

    [RootFact]
    public void Detach_of_a_device_that_does_not_exist_is_not_an_error()
    {
        _loops.Detach("/dev/loop999999");
    }

    private static string MakeImage(PoolFilesystem pool, long size, string name = "vol")
    {
        var image = Path.Combine(pool.MountPoint, name + ".img");
        new ImageFiles().Create(image, size, allocate: false);
        return image;
    }
}
