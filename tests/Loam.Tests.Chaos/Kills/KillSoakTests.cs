using Loam.Tests.Chaos.Harness;
using Loam.Tests.Chaos.Soak;

namespace Loam.Tests.Chaos.Kills;

/// <summary>
/// The CI's short kill soak: a fixed seed, a few dozen kills (random moments and named crash
/// points) under concurrent create, attach, stage, publish, expand, unpublish, unstage, detach and
/// delete, with node reboots; every audit and data checksum must pass. The long soak is the same
/// code run from the command line (see Program).
/// </summary>
public sealed class KillSoakTests
{
    [RootFact]
    public async Task A_short_fixed_seed_soak_converges_after_every_kill_with_data_intact_and_nothing_leaked()
    {
        var log = new StringWriter();
        var result = await new SoakRun(new SoakOptions { Seed = 20261201, Kills = 40, Log = log }).RunAsync();

        Assert.True(result.Failures.Count == 0, $"{result}\n{log}");
        Assert.True(result.Kills >= 40, result.ToString());
        Assert.True(result.Reboots > 0, result.ToString());
        Assert.True(result.Audits > result.Iterations, result.ToString());
        Assert.True(result.DataChecks > 0, result.ToString());
    }

    /// <summary>The same soak with every driver start a new container (fresh mount namespace, pool bound from another path).</summary>
    [RootFact]
    public async Task A_short_soak_whose_every_restart_is_a_new_container_converges_the_same()
    {
        var log = new StringWriter();
        var result = await new SoakRun(new SoakOptions { Seed = 20261203, Kills = 12, Containers = true, Log = log }).RunAsync();

        Assert.True(result.Failures.Count == 0, $"{result}\n{log}");
        Assert.True(result.Kills >= 12, result.ToString());
        Assert.True(result.DataChecks > 0, result.ToString());
    }

    /// <summary>The audit is only worth something if it can fail: plant each kind of leftover and see it reported.</summary>
    [RootFact]
    public async Task The_audit_reports_stray_files_torn_records_leaked_loop_devices_and_mounts()
    {
        await using var bed = await ChaosBed.StartAsync("audit");
        var co = new CoClient(bed, new Random(1));
        var volume = new CoVolume(bed, co, "pvc-audit");
        await volume.CreateAsync(16L << 20, thick: false);
        var expected = new Dictionary<string, long> { [volume.Id] = volume.CapacityBytes };
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, expected, [], 0));

        var volumes = Path.Combine(bed.PoolPath, "volumes");
        await File.WriteAllTextAsync(Path.Combine(volumes, volume.Id + ".json.tmp"), "{");
        await File.WriteAllBytesAsync(Path.Combine(volumes, "vol-00000000000000000000000000000000.img"), []);
        Shell.Run("losetup", "-f", Path.Combine(volumes, volume.Id + ".img"));
        var mount = bed.Root.Folder("mnt", "leak");
        Shell.Run("mount", "-t", "tmpfs", "tmpfs", mount);

        var problems = await PoolAudit.CheckAsync(bed, co, expected, [], 0);

        Assert.Contains(problems, p => p.Contains("stray files", StringComparison.Ordinal) && p.Contains(".json.tmp", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("images on disk: unexpected vol-00000000000000000000000000000000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("loop devices", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("mounts below the mount root: unexpected " + mount, StringComparison.Ordinal));

        await File.WriteAllTextAsync(Path.Combine(volumes, volume.Id + ".json"), "{\"id\":");
        Assert.Contains(await PoolAudit.CheckAsync(bed, co, expected, [mount], 1), p => p.Contains("does not parse", StringComparison.Ordinal));
    }
}
