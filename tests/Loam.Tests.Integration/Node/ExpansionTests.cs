using Csi.V1;

namespace Loam.Tests.Integration.Node;

/// <summary>Online expansion: the controller or the node grows the image, the node the loop device and the mounted filesystem.</summary>
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

    /// <summary>
    /// The flow of Kubernetes' external-resizer for a node-local pool: the controller does not
    /// advertise EXPAND_VOLUME, the resizer only records the new size, and the kubelet's
    /// NodeExpandVolume alone must grow the image, the record, the loop device and the filesystem.
    /// xfs because online ext4 growth needs CAP_SYS_RESOURCE.
    /// </summary>
    [RootFact]
    public async Task With_a_node_local_pool_NodeExpandVolume_alone_grows_image_record_device_and_filesystem()
    {
        await using var bed = await Testbed.StartAsync("ext4", "nodegrow");
        var capability = Testbed.Mount("xfs");
        var volume = await bed.CreateVolumeAsync("pvc-nodegrow", 512L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "before.txt"), "written before growing");
        var before = Total(target);
        var controller = await bed.Csi.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest());

        var expanded = await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = target, StagingTargetPath = staging,
            CapacityRange = new() { RequiredBytes = 1L << 30 }, VolumeCapability = capability,
        });

        Assert.DoesNotContain(controller.Capabilities, c => c.Rpc.Type == ControllerServiceCapability.Types.RPC.Types.Type.ExpandVolume);
        Assert.Equal(1L << 30, expanded.CapacityBytes);
        Assert.Equal(1L << 30, new FileInfo(Path.Combine(bed.PoolPath, "volumes", volume.VolumeId + ".img")).Length);
        var record = await bed.Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId });
        Assert.Equal(1L << 30, record.Volume.CapacityBytes);
        var after = Total(target);
        Assert.True(after > before + (400L << 20), $"xfs grew from {before} to {after} bytes only");
        Assert.Equal("written before growing", await File.ReadAllTextAsync(Path.Combine(target, "before.txt")));
        var again = await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = target, CapacityRange = new() { RequiredBytes = 1L << 30 },
        });
        Assert.Equal(1L << 30, again.CapacityBytes);
    }

    [RootFact]
    public async Task Node_expansion_past_the_pool_is_resource_exhausted_and_grows_nothing()
    {
        await using var bed = await Testbed.StartAsync("ext4", "growfull");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-full", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await bed.Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = staging, CapacityRange = new() { RequiredBytes = 1L << 50 },
        }));

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal(64L << 20, new FileInfo(Path.Combine(bed.PoolPath, "volumes", volume.VolumeId + ".img")).Length);
    }

    private static long Total(string path)
    {
        Assert.Equal(0, Mono.Unix.Native.Syscall.statvfs(path, out var s));
        return (long)(s.f_blocks * s.f_frsize);
    }
}
