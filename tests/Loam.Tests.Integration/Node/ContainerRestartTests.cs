using Csi.V1;
using Grpc.Core;
using Loam.Storage.Images;
using Loam.Storage.Os;

namespace Loam.Tests.Integration.Node;

/// <summary>
/// The node plugin's container restarts (DaemonSet pod deleted, dockerd restarted): the new
/// driver runs in a fresh mount namespace, and the kernel now prints the backing file of each
/// loop device its predecessor attached relative to the dead namespace's bind mount of the
/// pool. Every node call must still know the volume's device, and the controller must still
/// refuse to delete an image a device holds.
/// </summary>
public sealed class ContainerRestartTests
{
    [RootFact]
    public async Task After_a_kill_and_a_restart_in_a_fresh_namespace_every_node_call_converges()
    {
        await using var bed = await Testbed.StartInContainerAsync("ctrestart");
        var mount = Testbed.Mount();
        var block = Testbed.Block();
        var fsVolume = await bed.CreateVolumeAsync("pvc-fs", 128L << 20, mount);
        var blockVolume = await bed.CreateVolumeAsync("pvc-blk", 64L << 20, block);
        var (fsStaging, fsTarget) = (bed.StagingPath("fs"), bed.TargetPath("fs"));
        var (blockStaging, blockTarget) = (bed.StagingPath("blk"), bed.TargetPath("blk"));
        await bed.StageAsync(fsVolume.VolumeId, fsStaging, mount);
        await bed.PublishAsync(fsVolume.VolumeId, fsStaging, fsTarget, mount);
        await bed.StageAsync(blockVolume.VolumeId, blockStaging, block);
        await bed.PublishAsync(blockVolume.VolumeId, blockStaging, blockTarget, block);
        await File.WriteAllTextAsync(Path.Combine(fsTarget, "data.txt"), "written before the restart");
        var pattern = BlockVolumeTests.Pattern(8192);
        BlockVolumeTests.WriteAt(blockTarget, 0, pattern);
        var fsDevice = Assert.Single(Holders(bed, fsVolume.VolumeId));
        var blockDevice = Assert.Single(Holders(bed, blockVolume.VolumeId));

        await bed.RestartDriverAsync(crash: true);

        // The case at hand: the kernel's text for the devices is neither the driver's path nor the host's.
        foreach (var device in Holders(bed, fsVolume.VolumeId).Concat(Holders(bed, blockVolume.VolumeId)))
        {
            Assert.False(device.BackingFile.StartsWith(bed.DriverPoolPath, StringComparison.Ordinal), device.BackingFile);
            Assert.False(device.BackingFile.StartsWith(bed.PoolPath, StringComparison.Ordinal), device.BackingFile);
        }

        await bed.StageAsync(fsVolume.VolumeId, fsStaging, mount);
        await bed.PublishAsync(fsVolume.VolumeId, fsStaging, fsTarget, mount);
        await bed.StageAsync(blockVolume.VolumeId, blockStaging, block);
        await bed.PublishAsync(blockVolume.VolumeId, blockStaging, blockTarget, block);
        Assert.Equal(fsDevice.DevicePath, Assert.Single(Holders(bed, fsVolume.VolumeId)).DevicePath);
        Assert.Equal(blockDevice.DevicePath, Assert.Single(Holders(bed, blockVolume.VolumeId)).DevicePath);
        Assert.Equal("written before the restart", await File.ReadAllTextAsync(Path.Combine(fsTarget, "data.txt")));
        Assert.Equal(pattern, BlockVolumeTests.ReadAt(blockTarget, 0, pattern.Length));

        var fsStats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = fsVolume.VolumeId, VolumePath = fsTarget });
        var blockStats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = blockVolume.VolumeId, VolumePath = blockTarget });
        Assert.False(fsStats.VolumeCondition.Abnormal, fsStats.VolumeCondition.Message);
        Assert.InRange(fsStats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes).Total, 100L << 20, 128L << 20);
        Assert.False(blockStats.VolumeCondition.Abnormal, blockStats.VolumeCondition.Message);
        Assert.Equal(64L << 20, blockStats.Usage.Single().Total);

        foreach (var id in new[] { fsVolume.VolumeId, blockVolume.VolumeId })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = id }));
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        }

        await bed.UnpublishAsync(fsVolume.VolumeId, fsTarget);
        await bed.UnstageAsync(fsVolume.VolumeId, fsStaging);
        await bed.UnpublishAsync(blockVolume.VolumeId, blockTarget);
        await bed.UnstageAsync(blockVolume.VolumeId, blockStaging);

        Assert.Empty(Holders(bed, fsVolume.VolumeId));
        Assert.Empty(Holders(bed, blockVolume.VolumeId));
        Assert.Empty(bed.MountsBelowMountRoot());
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = fsVolume.VolumeId });
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = blockVolume.VolumeId });
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.PoolPath, "volumes"), "*.img"));
    }

    /// <summary>The devices holding the volume's image, asked by device and inode from the host.</summary>
    private static IReadOnlyList<LoopDevice> Holders(Testbed bed, string volumeId) =>
        new LoopDevices().LiveHolders(new ImageFiles(), Path.Combine(bed.PoolPath, "volumes", volumeId + ".img"));
}
