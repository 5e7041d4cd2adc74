namespace Loam.Tests.Integration.Snapshots;

/// <summary>
/// A driver killed while a snapshot holds a volume frozen must not leave it frozen: the pod's
/// writes would hang, and a frozen filesystem unmounted keeps its loop device busy for good.
/// The freeze here is made with fsfreeze, as the killed driver would have left it.
/// </summary>
public sealed class FrozenLeftoverTests
{
    [RootFact]
    public async Task A_restart_thaws_a_volume_left_frozen_and_its_writers_go_on()
    {
        await using var bed = await Testbed.StartAsync("ext4", "frzrestart");
        var (volumeId, staging) = await StagedVolumeAsync(bed);
        try
        {
            Shell.Run("fsfreeze", "-f", staging);

            await bed.RestartDriverAsync(crash: true);

            // FITHAW on a filesystem that is not frozen fails with EINVAL: the restart thawed it.
            Assert.NotEqual(0, Shell.TryRun("fsfreeze", "-u", staging).ExitCode);
            await File.WriteAllTextAsync(Path.Combine(staging, "after.txt"), "written after the restart");
        }
        finally
        {
            Shell.TryRun("fsfreeze", "-u", staging);
        }
        await bed.UnstageAsync(volumeId, staging);
        Assert.Empty(bed.VolumeLoopDevices());
    }

    [RootFact]
    public async Task Unstage_of_a_frozen_volume_thaws_it_and_detaches_its_loop_device()
    {
        await using var bed = await Testbed.StartAsync("ext4", "frzunstage");
        var (volumeId, staging) = await StagedVolumeAsync(bed);
        try
        {
            Shell.Run("fsfreeze", "-f", staging);

            await bed.UnstageAsync(volumeId, staging);

            Assert.Empty(bed.MountsBelowMountRoot());
            Assert.Empty(bed.VolumeLoopDevices());
        }
        finally
        {
            Shell.TryRun("fsfreeze", "-u", staging);
        }
    }

    private static async Task<(string VolumeId, string Staging)> StagedVolumeAsync(Testbed bed)
    {
        var mount = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-frozen", 64L << 20, mount);
        var staging = bed.StagingPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, mount);
        return (volume.VolumeId, staging);
    }
}
