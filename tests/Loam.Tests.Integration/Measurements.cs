using System.Diagnostics;
using Loam.Storage;
using Loam.Storage.Os;
using Xunit.Abstractions;

namespace Loam.Tests.Integration;

/// <summary>
/// Quick figures for the node, printed to the test output: stage and publish latencies
/// (p50, p99) at concurrency 1 and 8 through the real driver, and mkfs.ext4 times. Opt-in
/// with LOAM_MEASURE=1 (as root): they take a while and assert behaviour only, never timings.
/// </summary>
public sealed class Measurements(ITestOutputHelper output)
{
    [MeasureFact]
    public async Task Stage_and_publish_latencies_at_concurrency_1_and_8()
    {
        await using var bed = await Testbed.StartAsync("ext4", "latency", poolSize: 64L << 30);
        foreach (var (concurrency, volumes) in new[] { (1, 24), (8, 48) })
        {
            var stage = new List<double>();
            var publish = new List<double>();
            var capability = Testbed.Mount();
            var ids = new List<string>();
            for (var i = 0; i < volumes; i++)
                ids.Add((await bed.CreateVolumeAsync($"lat-{concurrency}-{i}", 1L << 30, capability)).VolumeId);

            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, _) =>
            {
                var staging = bed.StagingPath(id);
                var target = bed.TargetPath(id);
                var started = Stopwatch.GetTimestamp();
                await bed.StageAsync(id, staging, capability);
                var staged = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                await bed.PublishAsync(id, staging, target, capability);
                var published = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (stage)
                {
                    stage.Add(staged);
                    publish.Add(published);
                }
            });
            output.WriteLine($"concurrency {concurrency}, {volumes} volumes of 1 GiB (ext4 on an ext4 pool): "
                + $"NodeStage p50 {Percentile(stage, 50):0.0} ms p99 {Percentile(stage, 99):0.0} ms; "
                + $"NodePublish p50 {Percentile(publish, 50):0.0} ms p99 {Percentile(publish, 99):0.0} ms");

            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, _) =>
            {
                await bed.UnpublishAsync(id, bed.TargetPath(id));
                await bed.UnstageAsync(id, bed.StagingPath(id));
                await bed.Csi.Controller.DeleteVolumeAsync(new() { VolumeId = id });
            });
            Assert.Empty(bed.VolumeLoopDevices());
            Assert.Equal(volumes, stage.Count);
        }
    }

    [MeasureFact]
    public async Task Ext4_mkfs_time_for_1_and_10_GiB()
    {
        using var root = new TestRoot("mkfs");
        var pool = PoolFilesystem.Create(root, "ext4", 32L << 30);
        var loops = new LoopDevices();
        var tools = new FileSystemTools(new CommandRunner());
        foreach (var size in new[] { 1L << 30, 10L << 30 })
        {
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var image = Path.Combine(pool.MountPoint, $"mkfs-{size}-{i}.img");
                new ImageFiles().Create(image, size, allocate: false);
                var device = loops.Attach(image, readOnly: false, directIo: true);
                var started = Stopwatch.GetTimestamp();
                await tools.MakeAsync(device.DevicePath, FileSystemTypes.Ext4);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Assert.Equal("ext4", (await tools.ProbeAsync(device.DevicePath)).FileSystemType);
                loops.Detach(device.DevicePath);
                File.Delete(image);
            }
            output.WriteLine($"mkfs.ext4 of {ByteSize.Format(size)} (sparse image, loop device with direct I/O): "
                + $"median {Percentile(times, 50):0} ms, min {times.Min():0} ms, max {times.Max():0} ms over {times.Count} runs");
        }
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>A measurement: runs only as root with LOAM_MEASURE=1.</summary>
public sealed class MeasureFactAttribute : FactAttribute
{
    public MeasureFactAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = Privileges.SkipReason;
        else if (Environment.GetEnvironmentVariable("LOAM_MEASURE") != "1")
            Skip = "a measurement: set LOAM_MEASURE=1 to run it";
    }
}
