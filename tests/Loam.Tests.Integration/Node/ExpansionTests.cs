using Csi.V1;

namespace Loam.Tests.Integration.Node;

/// <summary>Online expansion: the controller grows the image, the node the loop device and the mounted filesystem.</summary>
public sealed class ExpansionTests
{
    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public async Task A_published_filesystem_grows_online_and_keeps_its_data(string fsType)
    {
        await using var bed = await Testbed.StartAsync(fsType, "grow");
        var capability = Testbed.Mount(fsType);
        var volume = await bed.CreateVolumeAsync("pvc-grow", 512L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "before.txt"), "written before growing");
        var before = Total(target);

        await bed.Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest { VolumeId = volume.VolumeId, CapacityRange = new() { RequiredBytes = 1L << 30 } });
        var expanded = await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = target, StagingTargetPath = staging, CapacityRange = new() { RequiredBytes = 1L << 30 },
        });

        Assert.Equal(1L << 30, expanded.CapacityBytes);
        var after = Total(target);
        Assert.True(after > before + (400L << 20), $"{fsType} grew from {before} to {after} bytes only");
        Assert.Equal("written before growing", await File.ReadAllTextAsync(Path.Combine(target, "before.txt")));
        await File.WriteAllBytesAsync(Path.Combine(target, "after.bin"), new byte[1 << 20]);

        var again = await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest { VolumeId = volume.VolumeId, VolumePath = target });
        Assert.Equal(1L << 30, again.CapacityBytes);
    }

    [RootFactWithCapability(Capabilities.SysResource, "online ext4 growth (EXT4_IOC_RESIZE_FS) needs CAP_SYS_RESOURCE")]
    public async Task A_published_ext4_filesystem_grows_online_and_keeps_its_data() =>
        await A_published_filesystem_grows_online_and_keeps_its_data("ext4");

    [RootFact]
    public async Task A_published_block_device_takes_the_new_size()
    {
        await using var bed = await Testbed.StartAsync("ext4", "growblock");
        var capability = Testbed.Block();
        var volume = await bed.CreateVolumeAsync("pvc-growblock", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        var pattern = BlockVolumeTests.Pattern(4096);
        BlockVolumeTests.WriteAt(target, 0, pattern);

        await bed.Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest { VolumeId = volume.VolumeId, CapacityRange = new() { RequiredBytes = 128L << 20 } });
        var expanded = await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest { VolumeId = volume.VolumeId, VolumePath = target });

        Assert.Equal(128L << 20, expanded.CapacityBytes);
        Assert.Equal(128L << 20, BlockVolumeTests.DeviceSize(target));
        Assert.Equal(pattern, BlockVolumeTests.ReadAt(target, 0, pattern.Length));
    }

    [RootFact]
    public async Task Asking_the_node_for_more_than_the_controller_gave_is_out_of_range()
    {
        await using var bed = await Testbed.StartAsync("ext4", "growoor");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-oor", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = staging, CapacityRange = new() { RequiredBytes = 1L << 30 },
        }));

        Assert.Equal(Grpc.Core.StatusCode.OutOfRange, e.StatusCode);
    }

    private static long Total(string path)
    {
        Assert.Equal(0, Mono.Unix.Native.Syscall.statvfs(path, out var s));
        return (long)(s.f_blocks * s.f_frsize);
    }
}
