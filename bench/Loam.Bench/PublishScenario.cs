using System.Collections.Concurrent;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>publish</c>: for N volumes of --size at concurrency C, a CO's mount and unmount:
/// ControllerPublish, NodeStage (the first stage of a new volume, so it includes mkfs),
/// NodePublish, then NodeUnpublish, NodeUnstage, ControllerUnpublish; p50/p99 of each.
/// </summary>
public static class PublishScenario
{
    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, CancellationToken cancellationToken)
    {
        var root = Path.Combine(options.RequireMountRoot(), "bench-" + options.RunId);
        var mounter = new NodeMounter(client, await client.DescribeAsync(cancellationToken));
        var steps = new[] { "controller_publish", "first_stage", "publish", "unpublish", "unstage", "controller_unpublish" }.ToDictionary(s => s, _ => new Latencies());
        var volumes = new ConcurrentDictionary<int, string>();
        var mounts = new ConcurrentDictionary<int, MountRecord>();
        var mountSeconds = double.NaN;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Count), options.Parallel(cancellationToken), async (i, ct) =>
                volumes[i] = (await client.CreateVolumeAsync(ProvisionScenario.Spec(options, i, "pub"), ct)).VolumeId);
            var mountStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(volumes, options.Parallel(cancellationToken), async (volume, ct) =>
            {
                var target = Path.Combine(root, "pods", volume.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), "target");
                var staging = Path.Combine(root, "staging", volume.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var plan = await mounter.PlanAsync(volume.Value, target, staging, readOnly: false, options.Block, ct);
                var mount = await steps["controller_publish"].TimeAsync(() => mounter.ControllerPublishAsync(plan, ct));
                mounts[volume.Key] = mount;
                await steps["first_stage"].TimeAsync(() => mounter.StageAsync(mount, ct));
                await steps["publish"].TimeAsync(() => mounter.PublishAsync(mount, ct));
            });
            mountSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(mountStarted).TotalSeconds;
            await Parallel.ForEachAsync(mounts, options.Parallel(cancellationToken), async (entry, ct) =>
            {
                await steps["unpublish"].TimeAsync(() => mounter.UnpublishAsync(entry.Value, ct));
                await steps["unstage"].TimeAsync(() => mounter.UnstageAsync(entry.Value, ct));
                await steps["controller_unpublish"].TimeAsync(() => mounter.ControllerUnpublishAsync(entry.Value, ct));
                mounts.TryRemove(entry.Key, out _);
            });
        }
        finally
        {
            foreach (var mount in mounts.Values)
                await Cleanup.UnmountAsync(mounter, mount);
            await Cleanup.DeleteVolumesAsync(client, volumes.Values);
            RemoveEmptyFolders(root);
        }
        var metrics = new Dictionary<string, double> { ["volumes"] = options.Count, ["concurrency"] = options.Concurrency, ["size_bytes"] = options.SizeBytes };
        // Volumes taken from created to published (ControllerPublish, NodeStage, NodePublish) per second.
        metrics["stage_publish_per_s"] = Math.Round(options.Count / mountSeconds, 1);
        foreach (var (name, latencies) in steps)
        {
            if (latencies.Count > 0)
                latencies.Report(metrics, name);
        }
        return metrics;
    }

    /// <summary>Removes the folders the run made, deepest first, and only empty ones: never anything still mounted.</summary>
    public static void RemoveEmptyFolders(string root)
    {
        if (!Directory.Exists(root))
            return;
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(root))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty (a target file of a block volume, or still mounted): leave it.
            }
        }
    }
}
