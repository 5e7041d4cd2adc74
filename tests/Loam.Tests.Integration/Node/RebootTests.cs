using Grpc.Core;

namespace Loam.Tests.Integration.Node;

/// <summary>
/// The kernel is the truth: after a driver crash the kernel still holds the mounts and the
/// devices, after a reboot it holds nothing but the CO's directories, and in both cases the
/// CO's retries converge without double mounts or lost data.
/// </summary>
public sealed class RebootTests
{
    [RootTheory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public async Task After_a_simulated_reboot_the_COs_retries_bring_back_filesystem_and_block_volumes(string poolFs)
    {
        await using var bed = await Testbed.StartAsync(poolFs, "reboot");
        var mount = Testbed.Mount();
        var block = Testbed.Block();
        var fsVolume = await bed.CreateVolumeAsync("pvc-fs", 512L << 20, mount);
        var blockVolume = await bed.CreateVolumeAsync("pvc-blk", 64L << 20, block);
        var (fsStaging, fsTarget) = (bed.StagingPath("fs"), bed.TargetPath("fs"));
        var (blockStaging, blockTarget) = (bed.StagingPath("blk"), bed.TargetPath("blk"));
        await bed.StageAsync(fsVolume.VolumeId, fsStaging, mount);
        await bed.PublishAsync(fsVolume.VolumeId, fsStaging, fsTarget, mount);
        await bed.StageAsync(blockVolume.VolumeId, blockStaging, block);
        await bed.PublishAsync(blockVolume.VolumeId, blockStaging, blockTarget, block);
        await File.WriteAllTextAsync(Path.Combine(fsTarget, "data.txt"), "before the reboot");
        var pattern = BlockVolumeTests.Pattern(8192);
        BlockVolumeTests.WriteAt(blockTarget, 0, pattern);
        Shell.Run("sync");

        await bed.Driver.KillAsync();
        SimulateReboot(bed);
        await bed.RestartDriverAsync();
        Assert.True(Directory.Exists(fsTarget) && File.Exists(blockTarget), "a reboot keeps the CO's directories and files");
        Assert.Empty(bed.VolumeLoopDevices());

        // kubelet's reconstruction: stage and publish again on the same paths.
        await bed.StageAsync(fsVolume.VolumeId, fsStaging, mount);
        await bed.PublishAsync(fsVolume.VolumeId, fsStaging, fsTarget, mount);
        await bed.StageAsync(blockVolume.VolumeId, blockStaging, block);
        await bed.PublishAsync(blockVolume.VolumeId, blockStaging, blockTarget, block);

        Assert.Equal("before the reboot", await File.ReadAllTextAsync(Path.Combine(fsTarget, "data.txt")));
        Assert.Equal(pattern, BlockVolumeTests.ReadAt(blockTarget, 0, pattern.Length));
        Assert.Equal(2, bed.VolumeLoopDevices().Count);
    }

    [RootFact]
    public async Task After_a_simulated_reboot_unpublish_and_unstage_of_what_is_gone_succeed_and_remove_the_targets()
    {
        await using var bed = await Testbed.StartAsync("ext4", "rebootdown");
        var mount = Testbed.Mount();
        var block = Testbed.Block();
        var fsVolume = await bed.CreateVolumeAsync("pvc-fs", 64L << 20, mount);
        var blockVolume = await bed.CreateVolumeAsync("pvc-blk", 64L << 20, block);
        var (fsStaging, fsTarget) = (bed.StagingPath("fs"), bed.TargetPath("fs"));
        var (blockStaging, blockTarget) = (bed.StagingPath("blk"), bed.TargetPath("blk"));
        await bed.StageAsync(fsVolume.VolumeId, fsStaging, mount);
        await bed.PublishAsync(fsVolume.VolumeId, fsStaging, fsTarget, mount);
        await bed.StageAsync(blockVolume.VolumeId, blockStaging, block);
        await bed.PublishAsync(blockVolume.VolumeId, blockStaging, blockTarget, block);

        SimulateReboot(bed);
        await bed.RestartDriverAsync();
        await bed.UnpublishAsync(fsVolume.VolumeId, fsTarget);
        await bed.UnpublishAsync(blockVolume.VolumeId, blockTarget);
        await bed.UnstageAsync(fsVolume.VolumeId, fsStaging);
        await bed.UnstageAsync(blockVolume.VolumeId, blockStaging);

        Assert.False(Path.Exists(fsTarget));
        Assert.False(Path.Exists(blockTarget));
        Assert.Empty(bed.MountsBelowMountRoot());
    }

    [RootFact]
    public async Task A_driver_crash_between_calls_leaves_the_kernel_state_that_the_restarted_driver_recognises()
    {
        await using var bed = await Testbed.StartAsync("ext4", "crash");
        var mount = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-crash", 64L << 20, mount);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, mount);
        await bed.PublishAsync(volume.VolumeId, staging, target, mount);
        await File.WriteAllTextAsync(Path.Combine(target, "data.txt"), "kept");

        await bed.RestartDriverAsync(crash: true);
        await bed.StageAsync(volume.VolumeId, staging, mount);
        await bed.PublishAsync(volume.VolumeId, staging, target, mount);

        Assert.Single(bed.MountsBelowMountRoot(), m => m == target);
        Assert.Single(bed.MountsBelowMountRoot(), m => m == staging);
        Assert.Single(bed.VolumeLoopDevices());
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(target, "data.txt")));
        var e = await Assert.ThrowsAsync<RpcException>(() => bed.PublishAsync(volume.VolumeId, staging, target, mount, readOnly: true));
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
    }

    [RootFact]
    public async Task A_device_attached_by_a_crashed_stage_is_reused_not_doubled()
    {
        await using var bed = await Testbed.StartAsync("ext4", "halfstage");
        var mount = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-half", 64L << 20, mount);
        var staging = bed.StagingPath("pv");
        // What a crash between attach and mount leaves: the image on a loop device, nothing mounted.
        Shell.Run("losetup", "-f", Path.Combine(bed.PoolPath, "volumes", volume.VolumeId + ".img"));

        await bed.StageAsync(volume.VolumeId, staging, mount);

        Assert.Single(bed.VolumeLoopDevices());
        Assert.Single(bed.MountsBelowMountRoot(), m => m == staging);
    }

    /// <summary>What a node reboot leaves: no mounts and no loop devices of the volumes; directories and files stay.</summary>
    private static void SimulateReboot(Testbed bed)
    {
        foreach (var mount in bed.MountsBelowMountRoot())
            Shell.Run("umount", mount);
        foreach (var device in bed.VolumeLoopDevices())
            Shell.Run("losetup", "-d", device);
        Assert.Empty(bed.MountsBelowMountRoot());
        Assert.Empty(bed.VolumeLoopDevices());
    }
}
