using System.Globalization;
using System.Text.Json;

namespace Loam.Tests.Tools;

/// <summary>Each loam-bench scenario at a tiny size against a real `loam serve`: its table, its JSON line, and what it leaves (nothing).</summary>
public sealed class BenchTests
{
    private static JsonElement Metrics(ToolRun run, string scenario)
    {
        var line = run.LastJsonLine();
        Assert.Equal(scenario, line.GetProperty("scenario").GetString());
        return line.GetProperty("results").EnumerateArray().Single().GetProperty("metrics");
    }

    [Fact]
    public async Task Provision_reports_create_and_delete_rates_and_latencies_and_deletes_its_volumes()
    {
        await using var world = await ToolWorld.StartAsync();
        var run = (await world.BenchAsync("provision", "--count", "6", "--concurrency", "3", "--size", "16Mi")).Succeeded();
        Assert.StartsWith("scenario provision: count=6, concurrency=3, size=16Mi", run.Output);
        var metrics = Metrics(run, "provision");
        Assert.Equal(6, metrics.GetProperty("volumes").GetDouble());
        foreach (var name in new[] { "create_per_s", "create_p50_ms", "create_p99_ms", "delete_per_s", "delete_p50_ms", "delete_p99_ms" })
            Assert.True(metrics.GetProperty(name).GetDouble() > 0, name);
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
    }

    [Fact]
    public async Task Scale_reports_create_and_list_latency_at_each_checkpoint()
    {
        await using var world = await ToolWorld.StartAsync();
        var metrics = Metrics((await world.BenchAsync("scale", "--count", "12", "--concurrency", "4")).Succeeded(), "scale");
        foreach (var name in new[] { "create_p50_ms_at_10", "list_ms_at_10", "create_p50_ms_at_12", "list_ms_at_12", "delete_per_s" })
            Assert.True(metrics.GetProperty(name).GetDouble() > 0, name);
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
    }

    [Fact]
    public async Task Startup_reports_time_to_first_probe_and_idle_rss()
    {
        using var root = new TestRoot("bench-start");
        var (file, prefix) = RepoPaths.Driver();
        var socket = root.Combine("csi.sock");
        var command = string.Join(' ', [file, .. prefix, "serve", "--endpoint", "unix://" + socket, "--pool", "default=" + root.Folder("pool"), "--node-id", "n1"]);
        var run = (await ToolRun.StartAsync("dotnet", [ToolWorld.BenchDll(), "startup", "--exec", command, "--endpoint", "unix://" + socket, "--repeat", "2", "--idle-ms", "100"], new Dictionary<string, string>())).Succeeded();
        var metrics = Metrics(run, "startup");
        Assert.Equal(2, metrics.GetProperty("runs").GetDouble());
        Assert.True(metrics.GetProperty("startup_p50_ms").GetDouble() > 0);
        Assert.True(metrics.GetProperty("idle_rss_p50_mib").GetDouble() > 1);
        Assert.False(File.Exists(socket)); // each run was stopped with SIGTERM and removed its socket
    }

    [Fact]
    public async Task Startup_of_a_driver_that_exits_fails_with_a_message()
    {
        using var root = new TestRoot("bench-fail");
        var (file, prefix) = RepoPaths.Driver();
        var command = string.Join(' ', [file, .. prefix, "serve", "--endpoint", "unix://" + root.Combine("csi.sock"), "--pool", "bad"]);
        var run = await ToolRun.StartAsync("dotnet", [ToolWorld.BenchDll(), "startup", "--exec", command, "--endpoint", "unix://" + root.Combine("csi.sock"), "--repeat", "1"], new Dictionary<string, string>());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("exited with 2 before its first Probe", run.Error);
    }

    [Fact]
    public async Task Startup_refuses_an_endpoint_another_driver_already_answers_on()
    {
        await using var world = await ToolWorld.StartAsync();
        var run = await ToolRun.StartAsync("dotnet", [ToolWorld.BenchDll(), "startup", "--exec", "/bin/true", "--endpoint", world.Endpoint, "--repeat", "1"], new Dictionary<string, string>());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("something already answers Probe", run.Error);
    }

    [RootFact]
    public async Task Publish_reports_each_step_including_the_first_stage_that_makes_the_filesystem()
    {
        await using var world = await ToolWorld.StartAsync(realPool: true);
        var run = (await world.BenchAsync("publish", "--count", "2", "--concurrency", "2", "--size", "32Mi", "--fs", "ext4", "--mount-root", world.MountRoot)).Succeeded();
        var metrics = Metrics(run, "publish");
        Assert.Equal(32L << 20, metrics.GetProperty("size_bytes").GetDouble());
        foreach (var step in new[] { "controller_publish", "first_stage", "publish", "unpublish", "unstage", "controller_unpublish" })
            Assert.True(metrics.GetProperty(step + "_p50_ms").GetDouble() > 0, step);
        Assert.Empty(MountCleanup.MountsUnder(world.MountRoot + "/"));
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
        Assert.Empty(Directory.GetFileSystemEntries(world.MountRoot));
    }

    [RootFact]
    public async Task Snapshot_writes_snapshots_restores_and_verifies_then_removes_everything()
    {
        await using var world = await ToolWorld.StartAsync(realPool: true);
        var run = (await world.BenchAsync("snapshot", "--data-mib", "4", "--size", "32Mi", "--fs", "ext4", "--mount-root", world.MountRoot)).Succeeded();
        var metrics = Metrics(run, "snapshot");
        Assert.Equal(1, metrics.GetProperty("verified").GetDouble());
        foreach (var name in new[] { "write_mib_per_s", "snapshot_ms", "restore_ms", "restored_mount_ms", "read_mib_per_s" })
            Assert.True(metrics.GetProperty(name).GetDouble() > 0, name);
        Assert.Empty(MountCleanup.MountsUnder(world.MountRoot + "/"));
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
        Assert.Empty(world.Driver.Csi.Controller.ListSnapshots(new()).Entries);
    }

    [RootTheory]
    [InlineData("xfs")] // reflinked snapshots: the delta comes from comparing extents
    [InlineData("ext4")] // copied snapshots: the delta comes from comparing content
    public async Task Metadata_reports_allocated_and_delta_ranges_that_cover_the_writes_then_removes_everything(string poolFsType)
    {
        await using var world = await ToolWorld.StartAsync(realPool: true, poolFsType: poolFsType);
        var run = (await world.BenchAsync("metadata", "--size", "64Mi", "--writes", "20", "--seed", "7", "--mount-root", world.MountRoot, "--driver-pid", world.Driver.Pid.ToString(CultureInfo.InvariantCulture))).Succeeded();
        Assert.StartsWith("scenario metadata: count=1, concurrency=1, size=64Mi, volume=block", run.Output);
        var metrics = Metrics(run, "metadata");
        Assert.Equal(1, metrics.GetProperty("verified").GetDouble());
        Assert.Equal(1, metrics.GetProperty("allocated_covers_writes").GetDouble());
        Assert.Equal(20, metrics.GetProperty("writes").GetDouble());
        Assert.True(metrics.GetProperty("allocated_tuples").GetDouble() > 0);
        Assert.True(metrics.GetProperty("delta_tuples").GetDouble() > 0);
        // Every block written before A is allocated in A; the delta holds at least the blocks written since.
        Assert.True(metrics.GetProperty("allocated_bytes").GetDouble() >= metrics.GetProperty("written_bytes_a").GetDouble());
        Assert.True(metrics.GetProperty("delta_bytes").GetDouble() >= metrics.GetProperty("written_bytes_between").GetDouble());
        Assert.True(metrics.GetProperty("delta_bytes").GetDouble() < 64L << 20); // a delta, not the whole volume
        foreach (var name in new[] { "allocated_first_ms", "allocated_repeat_ms", "delta_first_ms", "delta_repeat_ms", "driver_rss_before_mib", "driver_hwm_after_mib" })
            Assert.True(metrics.GetProperty(name).GetDouble() > 0, name);
        Assert.Empty(MountCleanup.MountsUnder(world.MountRoot + "/"));
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
        Assert.Empty(world.Driver.Csi.Controller.ListSnapshots(new()).Entries);
        Assert.Empty(Directory.GetFileSystemEntries(world.MountRoot));
    }

    [RootFact]
    public async Task Metadata_that_fails_after_mounting_says_why_and_still_removes_everything()
    {
        await using var world = await ToolWorld.StartAsync(realPool: true);
        // The volume is made and published before the writer finds it cannot hold one 64 KiB block.
        var run = await world.BenchAsync("metadata", "--size", "32Ki", "--writes", "2", "--mount-root", world.MountRoot);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("smaller than one 65536-byte block", run.Error);
        Assert.Empty(MountCleanup.MountsUnder(world.MountRoot + "/"));
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
        Assert.Empty(world.Driver.Csi.Controller.ListSnapshots(new()).Entries);
        Assert.Empty(Directory.GetFileSystemEntries(world.MountRoot));
    }

    [Fact]
    public async Task Metadata_against_an_endpoint_without_the_snapshot_metadata_service_says_so_and_fails()
    {
        using var root = new TestRoot("bench-nometa");
        await using var driver = await DriverProcess.StartAsync(root.Combine("csi.sock"), ["--node-id", "n1", "--mode", "node", "--allowed-root", root.Folder("mnt")]);
        var run = await ToolRun.StartAsync("dotnet", [ToolWorld.BenchDll(), "metadata", "--endpoint", "unix://" + driver.SocketPath, "--mount-root", root.Combine("mnt")], new Dictionary<string, string>());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not offer SNAPSHOT_METADATA_SERVICE", run.Error);
        Assert.DoesNotContain("{", run.Output); // no report line
    }

    [RootFact]
    public async Task Datapath_runs_each_fio_job_on_the_pool_and_in_a_volume_and_reports_ratios_then_removes_everything()
    {
        await using var world = await ToolWorld.StartAsync(realPool: true);
        var run = (await world.BenchAsync("datapath", "--size", "128Mi", "--fs", "ext4", "--file-mib", "16", "--runtime", "1",
            "--rounds", "1", "--param", "provisioning=thick", "--pool-dir", world.PoolPath, "--mount-root", world.MountRoot)).Succeeded();
        var metrics = Metrics(run, "datapath");
        foreach (var name in new[] { "randread_4k_iops_ratio", "randwrite_4k_iops_ratio", "seqread_1m_bw_ratio", "seqwrite_1m_bw_ratio" })
            Assert.True(metrics.GetProperty(name).GetDouble() > 0, name);
        foreach (var job in new[] { "randread_4k", "randwrite_4k", "seqread_1m", "seqwrite_1m" })
            Assert.True(metrics.GetProperty(job + "_volume_p99_us").GetDouble() > 0, job);
        Assert.Empty(MountCleanup.MountsUnder(world.MountRoot + "/"));
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
        Assert.DoesNotContain(Directory.GetFiles(world.PoolPath), f => f.EndsWith("fio.dat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Datapath_without_one_pool_dir_per_endpoint_says_so_and_fails()
    {
        await using var world = await ToolWorld.StartAsync();
        var run = await world.BenchAsync("datapath", "--endpoint", world.Endpoint, "--pool-dir", world.PoolPath, "--mount-root", world.MountRoot);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("give one --pool-dir per --endpoint (2); 1 given", run.Error);
        Assert.Empty(world.Driver.Csi.Controller.ListVolumes(new()).Entries);
    }
}
