using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Integration.Node;

/// <summary>NodeGetVolumeStats: usage from the kernel, and a condition that turns abnormal when something breaks underneath.</summary>
public sealed class StatsTests
{
    [RootTheory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public async Task A_published_filesystem_reports_bytes_and_inodes_and_a_normal_condition(string fsType)
    {
        await using var bed = await Testbed.StartAsync(fsType, "stats");
        var capability = Testbed.Mount(fsType);
        var volume = await bed.CreateVolumeAsync("pvc-stats", 512L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        await File.WriteAllBytesAsync(Path.Combine(target, "ten-mib.bin"), new byte[10 << 20]);
        Shell.Run("sync");

        var stats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target, StagingTargetPath = staging });

        var bytes = stats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes);
        Assert.InRange(bytes.Total, 300L << 20, 512L << 20);
        Assert.True(bytes.Used >= 10L << 20, $"used {bytes.Used}");
        Assert.True(bytes.Available > 0 && bytes.Available < bytes.Total);
        if (fsType != "btrfs")
        {
            var inodes = stats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Inodes);
            Assert.True(inodes.Total > 0 && inodes.Used > 0);
        }
        Assert.False(stats.VolumeCondition.Abnormal, stats.VolumeCondition.Message);
        var atStaging = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = staging });
        Assert.Equal(bytes.Total, atStaging.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes).Total);
    }

    [RootFact]
    public async Task A_path_that_does_not_hold_the_volume_is_not_found()
    {
        await using var bed = await Testbed.StartAsync("ext4", "statsnf");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-statsnf", 64L << 20, capability);
        var other = await bed.CreateVolumeAsync("pvc-other", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        await bed.StageAsync(other.VolumeId, staging, capability);

        foreach (var path in new[] { staging, bed.MountRoot + "/nothing", "some/path", "/etc" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () =>
                await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = path }));
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }
    }

    [RootFact]
    public async Task A_block_volume_reports_its_size_and_turns_abnormal_when_its_image_is_deleted_underneath()
    {
        await using var bed = await Testbed.StartAsync("ext4", "statsblk");
        var capability = Testbed.Block();
        var volume = await bed.CreateVolumeAsync("pvc-statsblk", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        var request = new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target };

        var healthy = await bed.Csi.Node.NodeGetVolumeStatsAsync(request);
        Assert.Equal(64L << 20, healthy.Usage.Single().Total);
        Assert.False(healthy.VolumeCondition.Abnormal, healthy.VolumeCondition.Message);

        File.Delete(Path.Combine(bed.PoolPath, "volumes", volume.VolumeId + ".img"));
        var broken = await bed.Csi.Node.NodeGetVolumeStatsAsync(request);

        Assert.True(broken.VolumeCondition.Abnormal);
        Assert.Contains("missing", broken.VolumeCondition.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_block_target_whose_device_was_detached_underneath_is_abnormal_and_still_unpublishes()
    {
        await using var bed = await Testbed.StartAsync("ext4", "statsdet");
        var capability = Testbed.Block();
        var volume = await bed.CreateVolumeAsync("pvc-statsdet", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);

        Shell.Run("losetup", "-d", bed.VolumeLoopDevices().Single());
        var stats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target });

        Assert.True(stats.VolumeCondition.Abnormal);
        Assert.Contains("detached", stats.VolumeCondition.Message, StringComparison.Ordinal);
        await bed.UnpublishAsync(volume.VolumeId, target);
        Assert.False(Path.Exists(target));
        await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.Empty(bed.MountsBelowMountRoot());
    }

    [RootFact]
    public async Task An_ext4_filesystem_remounted_read_only_by_errors_is_abnormal()
    {
        await using var bed = await Testbed.StartAsync("ext4", "statserr");
        var capability = Testbed.Mount("ext4", VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, "errors=remount-ro");
        var volume = await bed.CreateVolumeAsync("pvc-statserr", 64L << 20, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        var device = Path.GetFileName(bed.VolumeLoopDevices().Single());

        await File.WriteAllTextAsync($"/sys/fs/ext4/{device}/trigger_fs_error", "loam test\n");
        var stats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target });

        Assert.True(stats.VolumeCondition.Abnormal);
        Assert.Contains("read-only after errors", stats.VolumeCondition.Message, StringComparison.Ordinal);
    }
}
