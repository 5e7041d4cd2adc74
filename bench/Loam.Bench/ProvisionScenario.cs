using System.Collections.Concurrent;
using System.Diagnostics;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>provision</c>: N CreateVolume calls at concurrency C, then N DeleteVolume calls; the rate
/// and latency of each. Volumes are never mounted, so no filesystem is made.
/// </summary>
public static class ProvisionScenario
{
    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, CancellationToken cancellationToken)
    {
        var create = new Latencies();
        var delete = new Latencies();
        var ids = new ConcurrentBag<string>();
        var metrics = new Dictionary<string, double> { ["volumes"] = options.Count, ["concurrency"] = options.Concurrency };
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Count), options.Parallel(cancellationToken), async (i, ct) =>
                ids.Add((await create.TimeAsync(() => client.CreateVolumeAsync(Spec(options, i), ct))).VolumeId));
            metrics["create_per_s"] = Math.Round(options.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            create.Report(metrics, "create");

            started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(ids, options.Parallel(cancellationToken), async (id, ct) =>
                await delete.TimeAsync(() => client.DeleteVolumeAsync(id, ct)));
            metrics["delete_per_s"] = Math.Round(options.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            delete.Report(metrics, "delete");
            ids.Clear();
        }
        finally
        {
            await Cleanup.DeleteVolumesAsync(client, ids);
        }
        return metrics;
    }

    public static VolumeSpec Spec(BenchOptions options, int index, string kind = "prov") =>
        new(options.Name(kind, index), options.SizeBytes) { FsType = options.FsType, Block = options.Block };
}
