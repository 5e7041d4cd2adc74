using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>scale</c>: grows a pool to --count volumes at concurrency C and, at each power of ten
/// and at the end, reports CreateVolume p50 over the last step and how long a full ListVolumes
/// (every page) takes; then deletes them all. Defaults to 1 MiB raw block volumes so 10,000 fit anywhere.
/// </summary>
public static class ScaleScenario
{
    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, double> { ["volumes"] = options.Count, ["concurrency"] = options.Concurrency };
        var ids = new ConcurrentBag<string>();
        try
        {
            var made = 0;
            foreach (var checkpoint in Checkpoints(options.Count))
            {
                var create = new Latencies();
                await Parallel.ForEachAsync(Enumerable.Range(made, checkpoint - made), options.Parallel(cancellationToken), async (i, ct) =>
                    ids.Add((await create.TimeAsync(() => client.CreateVolumeAsync(ProvisionScenario.Spec(options, i, "scale"), ct))).VolumeId));
                made = checkpoint;
                var at = checkpoint.ToString(CultureInfo.InvariantCulture);
                metrics["create_p50_ms_at_" + at] = Math.Round(create.Percentile(50), 3);

                var list = new Latencies();
                var listed = 0;
                for (var i = 0; i < 3; i++)
                    listed = (await list.TimeAsync(() => client.ListVolumesAsync(cancellationToken))).Count;
                metrics["list_ms_at_" + at] = Math.Round(list.Percentile(50), 3);
                if (listed < checkpoint)
                    throw new InvalidOperationException($"ListVolumes returned {listed} volumes with at least {checkpoint} made");
            }
            var started = Stopwatch.GetTimestamp();
            var delete = new Latencies();
            await Parallel.ForEachAsync(ids, options.Parallel(cancellationToken), async (id, ct) => await delete.TimeAsync(() => client.DeleteVolumeAsync(id, ct)));
            metrics["delete_per_s"] = Math.Round(ids.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            ids.Clear();
        }
        finally
        {
            await Cleanup.DeleteVolumesAsync(client, ids);
        }
        return metrics;
    }

    /// <summary>10, 100, 1000, ... below <paramref name="count"/>, then <paramref name="count"/> itself.</summary>
    public static IEnumerable<int> Checkpoints(int count)
    {
        for (var step = 10; step < count; step *= 10)
            yield return step;
        yield return count;
    }
}
