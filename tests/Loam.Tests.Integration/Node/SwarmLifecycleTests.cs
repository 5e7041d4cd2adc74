using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Integration.Node;

/// <summary>
/// Docker Swarm's calls, as moby/swarmkit makes them, against the real `loam serve --mode all`:
/// the node agent never sends NodeUnstageVolume (its plugin shim returns early for a volume it
/// staged), and after a dockerd restart the manager skips ControllerPublish and ControllerUnpublish
/// (it learns the capability only when it first connects, which publishing never does). Paths are
/// Swarm's: staging in <c>staged/ID</c> and publishing in <c>published/ID</c>, both made by the driver.
/// </summary>
public sealed class SwarmLifecycleTests
{
    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_swarm_sequence_without_NodeUnstage_converges_to_no_device_no_mount_and_no_volume(bool block)
    {
        await using var bed = await Testbed.StartAsync("ext4", "swarm");
        var capability = block ? Testbed.Block() : Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("swarm-data", 64L << 20, capability);
        var (staging, target) = SwarmPaths(bed, "swarm-id-1");

        var context = await ControllerPublishAsync(bed, volume.VolumeId);
        await StageAsync(bed, volume.VolumeId, staging, capability, context);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await bed.UnpublishAsync(volume.VolumeId, target);
        await ControllerUnpublishAsync(bed, volume.VolumeId);
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });

        await AssertConvergedAsync(bed, volume.VolumeId);
    }

    [RootFact]
    public async Task After_a_restart_without_ControllerPublish_and_ControllerUnpublish_the_delete_still_converges()
    {
        await using var bed = await Testbed.StartAsync("ext4", "swarmrestart");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("swarm-db", 64L << 20, capability);
        var (staging, target) = SwarmPaths(bed, "swarm-id-2");
        var context = await ControllerPublishAsync(bed, volume.VolumeId);
        await StageAsync(bed, volume.VolumeId, staging, capability, context);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "row.txt"), "before the restart");
        Shell.Run("sync");

        // dockerd restarts: the plugin dies with its mount namespace (its mounts go, the loop device
        // stays attached and the attachment stays recorded), and a new plugin starts.
        await bed.Driver.KillAsync();
        Shell.Run("umount", target);
        Shell.Run("umount", staging);
        Assert.Single(bed.VolumeLoopDevices());
        await bed.RestartDriverAsync();

        // The task comes back: stage and publish without ControllerPublish, so no publish context.
        await StageAsync(bed, volume.VolumeId, staging, capability, new Dictionary<string, string>());
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        Assert.Equal("before the restart", await File.ReadAllTextAsync(Path.Combine(target, "row.txt")));
        Assert.Single(bed.VolumeLoopDevices());
        // The service is removed, then the volume: no NodeUnstage, no ControllerUnpublish.
        await bed.UnpublishAsync(volume.VolumeId, target);
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });

        await AssertConvergedAsync(bed, volume.VolumeId);
    }

    [RootFact]
    public async Task A_volume_with_a_publish_target_left_is_not_touched_and_its_delete_names_the_target()
    {
        await using var bed = await Testbed.StartAsync("ext4", "swarmbusy");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("swarm-busy", 64L << 20, capability);
        var (staging, target) = SwarmPaths(bed, "swarm-id-3");
        var context = await ControllerPublishAsync(bed, volume.VolumeId);
        await StageAsync(bed, volume.VolumeId, staging, capability, context);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "row.txt"), "in use");

        await ControllerUnpublishAsync(bed, volume.VolumeId);
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains(target, e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(new[] { staging, target }.Order(StringComparer.Ordinal), bed.MountsBelowMountRoot().Order(StringComparer.Ordinal));
        Assert.Single(bed.VolumeLoopDevices());
        Assert.Equal("in use", await File.ReadAllTextAsync(Path.Combine(target, "row.txt")));

        await bed.UnpublishAsync(volume.VolumeId, target);
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(bed.MountsBelowMountRoot());
    }

    /// <summary>Swarm's layout: the plugin's rootfs has <c>staged</c> and <c>published</c>, the driver makes the leaves.</summary>
    private static (string Staging, string Target) SwarmPaths(Testbed bed, string swarmVolumeId) =>
        (Path.Combine(bed.Root.Folder("mnt", "staged"), swarmVolumeId), Path.Combine(bed.Root.Folder("mnt", "published"), swarmVolumeId));

    private static string ImagePath(Testbed bed, string volumeId) => Path.Combine(bed.PoolPath, "volumes", volumeId + ".img");

    /// <summary>Swarm always asks for a mount capability here, whatever the volume's access type.</summary>
    private static async Task<IDictionary<string, string>> ControllerPublishAsync(Testbed bed, string volumeId)
    {
        var response = await bed.Csi.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest
        {
            VolumeId = volumeId, NodeId = Testbed.NodeId, VolumeCapability = Testbed.Mount(),
        });
        return response.PublishContext;
    }

    private static async Task ControllerUnpublishAsync(Testbed bed, string volumeId) =>
        await bed.Csi.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = volumeId, NodeId = Testbed.NodeId });

    private static async Task StageAsync(Testbed bed, string volumeId, string staging, VolumeCapability capability, IDictionary<string, string> context)
    {
        var request = new NodeStageVolumeRequest { VolumeId = volumeId, StagingTargetPath = staging, VolumeCapability = capability };
        request.PublishContext.Add(context);
        await bed.Csi.Node.NodeStageVolumeAsync(request);
    }

    /// <summary>The delete converged: no loop device, no mount, no volume listed, no image left.</summary>
    private static async Task AssertConvergedAsync(Testbed bed, string volumeId)
    {
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(bed.MountsBelowMountRoot());
        Assert.Empty((await bed.Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
        Assert.False(File.Exists(ImagePath(bed, volumeId)));
    }
}
