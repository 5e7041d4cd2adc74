using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>datapath</c>: the same fio jobs on a file in the pool's own filesystem (--pool-dir) and on
/// a file inside a mounted volume of that pool, alternating pool and volume job by job (the
/// order flips every round, so drift of a shared machine falls on both), and the ratios
/// volume / pool. A ratio of 1 means the loop device and the volume's filesystem cost nothing.
/// </summary>
public static class DatapathScenario
{
    private const string FileName = "loam-bench-fio.dat";

    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, string poolDir, CancellationToken cancellationToken)
    {
        await Fio.VersionAsync(cancellationToken);
        if (!Directory.Exists(poolDir))
            throw new ArgumentException($"--pool-dir {poolDir} does not exist");
        var fileBytes = (long)options.FileMiB << 20;
        if (fileBytes > options.SizeBytes * 3 / 4)
            throw new ArgumentException($"--file-mib {options.FileMiB} does not fit a volume of {options.SizeBytes} bytes with room for its filesystem");

        var root = Path.Combine(options.RequireMountRoot(), "bench-" + options.RunId);
        var mounter = new NodeMounter(client, await client.DescribeAsync(cancellationToken));
        var poolFile = Path.Combine(poolDir, $"{options.RunId}-{FileName}");
        string? volumeId = null;
        MountRecord? mount = null;
        var pool = new Dictionary<string, List<FioResult>>();
        var volume = new Dictionary<string, List<FioResult>>();
        try
        {
            var spec = new VolumeSpec(options.Name("datapath", 0), options.SizeBytes) { FsType = options.FsType, Parameters = options.Parameters };
            volumeId = (await client.CreateVolumeAsync(spec, cancellationToken)).VolumeId;
            var plan = await mounter.PlanAsync(volumeId, Path.Combine(root, "pods", "datapath", "target"),
                Path.Combine(root, "staging", "datapath"), readOnly: false, block: false, cancellationToken);
            mount = await mounter.MountAsync(plan, cancellationToken);
            var volumeFile = Path.Combine(mount.TargetPath, FileName);

            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var job in FioJob.All)
                {
                    var sides = new[] { (pool, poolFile), (volume, volumeFile) };
                    foreach (var (results, file) in round % 2 == 0 ? sides : sides.Reverse())
                    {
                        var result = await Fio.RunAsync(job, file, fileBytes, options.RuntimeSeconds, cancellationToken);
                        (results.TryGetValue(job.Name, out var list) ? list : results[job.Name] = []).Add(result);
                    }
                }
            }
        }
        finally
        {
            File.Delete(poolFile);
            await Cleanup.UnmountAsync(mounter, mount);
            if (volumeId is not null)
                await Cleanup.DeleteVolumesAsync(client, [volumeId]);
            PublishScenario.RemoveEmptyFolders(root);
        }
        return Figures(pool, volume, options);
    }

    /// <summary>Per job the mean over rounds of each side, and the ratios volume / pool.</summary>
    private static Dictionary<string, double> Figures(Dictionary<string, List<FioResult>> pool, Dictionary<string, List<FioResult>> volume, BenchOptions options)
    {
        var metrics = new Dictionary<string, double> { ["rounds"] = options.Rounds, ["runtime_s"] = options.RuntimeSeconds, ["file_mib"] = options.FileMiB };
        foreach (var job in FioJob.All)
        {
            var (p, v) = (Mean(pool[job.Name]), Mean(volume[job.Name]));
            if (job.Random)
            {
                metrics[$"{job.Name}_pool_iops"] = Math.Round(p.Iops);
                metrics[$"{job.Name}_volume_iops"] = Math.Round(v.Iops);
                metrics[$"{job.Name}_iops_ratio"] = Math.Round(v.Iops / p.Iops, 3);
            }
            else
            {
                metrics[$"{job.Name}_pool_mib_s"] = Math.Round(p.MibPerSecond, 1);
                metrics[$"{job.Name}_volume_mib_s"] = Math.Round(v.MibPerSecond, 1);
                metrics[$"{job.Name}_bw_ratio"] = Math.Round(v.MibPerSecond / p.MibPerSecond, 3);
            }
            metrics[$"{job.Name}_pool_p99_us"] = Math.Round(p.P99Microseconds);
            metrics[$"{job.Name}_volume_p99_us"] = Math.Round(v.P99Microseconds);
            metrics[$"{job.Name}_p99_ratio"] = Math.Round(v.P99Microseconds / p.P99Microseconds, 3);
        }
        return metrics;
    }

    private static FioResult Mean(List<FioResult> results) =>
        new(results.Average(r => r.Iops), results.Average(r => r.MibPerSecond), results.Average(r => r.P99Microseconds));
}
