using System.Diagnostics;
using Csi.V1;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>metadata</c>: the CSI SnapshotMetadata service (v1.12) of any endpoint that offers it. Makes
/// a raw block volume of --size, writes --writes random 64 KiB blocks at random aligned offsets
/// (seeded), snapshots it (A), writes --writes more, snapshots it again (B), then times
/// GetMetadataAllocated(A) and GetMetadataDelta(A→B), each a first call and a repeat, counts
/// their tuples and bytes, and checks the delta covers every block written between A and B.
/// With --driver-pid, the driver's VmRSS and VmHWM before and after the calls.
/// </summary>
public static class MetadataScenario
{
    public const int BlockSize = 64 * 1024;

    private static readonly string MetadataService = CsiNames.Of(PluginCapability.Types.Service.Types.Type.SnapshotMetadataService);

    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, CancellationToken cancellationToken)
    {
        var plugin = await client.DescribeAsync(cancellationToken);
        if (!plugin.Plugin.Contains(MetadataService))
            throw new InvalidOperationException($"the endpoint does not offer {MetadataService} in GetPluginCapabilities: it has no snapshot metadata to measure");
        if (options.DriverPid is { } pid && !File.Exists($"/proc/{pid}/status"))
            throw new ArgumentException($"--driver-pid {pid}: no such process");
        var root = Path.Combine(options.RequireMountRoot(), "bench-" + options.RunId);
        var target = Path.Combine(root, "pods", "meta", "target");
        var mounter = new NodeMounter(client, plugin);
        var metrics = new Dictionary<string, double> { ["size_bytes"] = options.SizeBytes, ["writes"] = options.Writes, ["seed"] = options.Seed };
        string? volumeId = null;
        var snapshots = new List<string>();
        MountRecord? mount = null;
        try
        {
            volumeId = (await client.CreateVolumeAsync(new VolumeSpec(options.Name("meta", 0), options.SizeBytes) { Block = true }, cancellationToken)).VolumeId;
            var plan = await mounter.PlanAsync(volumeId, target, Path.Combine(root, "staging", "meta"), readOnly: false, block: true, cancellationToken);
            mount = await mounter.MountAsync(plan, cancellationToken);

            var writer = new RandomBlockWriter(options.Seed, BlockSize, options.SizeBytes);
            var beforeA = await writer.WriteAsync(mount.TargetPath, options.Writes, cancellationToken);
            snapshots.Add(await SnapshotAsync(client, options.Name("meta-a", 0), volumeId, metrics, "snapshot_a_ms", cancellationToken));
            var betweenAB = await writer.WriteAsync(mount.TargetPath, options.Writes, cancellationToken);
            snapshots.Add(await SnapshotAsync(client, options.Name("meta-b", 0), volumeId, metrics, "snapshot_b_ms", cancellationToken));
            metrics["written_bytes_a"] = beforeA.Distinct().Count() * (double)BlockSize;
            metrics["written_bytes_between"] = betweenAB.Distinct().Count() * (double)BlockSize;

            ReadMemory(options, metrics, "before");
            var connection = client.Connection;
            var allocated = await TimedAsync(() => MetadataReadout.AllocatedAsync(connection, snapshots[0], cancellationToken), metrics, "allocated_first_ms");
            await TimedAsync(() => MetadataReadout.AllocatedAsync(connection, snapshots[0], cancellationToken), metrics, "allocated_repeat_ms");
            var delta = await TimedAsync(() => MetadataReadout.DeltaAsync(connection, snapshots[0], snapshots[1], cancellationToken), metrics, "delta_first_ms");
            await TimedAsync(() => MetadataReadout.DeltaAsync(connection, snapshots[0], snapshots[1], cancellationToken), metrics, "delta_repeat_ms");
            ReadMemory(options, metrics, "after");

            metrics["allocated_tuples"] = allocated.Tuples.Count;
            metrics["allocated_bytes"] = allocated.Bytes;
            metrics["delta_tuples"] = delta.Tuples.Count;
            metrics["delta_bytes"] = delta.Bytes;
            metrics["allocated_covers_writes"] = allocated.Covers(beforeA, BlockSize) ? 1 : 0;
            metrics["verified"] = delta.Covers(betweenAB, BlockSize) ? 1 : 0;
        }
        finally
        {
            await Cleanup.UnmountAsync(mounter, mount);
            await Cleanup.DeleteSnapshotsAsync(client, snapshots.AsEnumerable().Reverse());
            if (volumeId is not null)
                await Cleanup.DeleteVolumesAsync(client, [volumeId]);
            Cleanup.RemoveBlockTarget(target);
            PublishScenario.RemoveEmptyFolders(root);
        }
        return metrics;
    }

    private static async Task<string> SnapshotAsync(CsiClient client, string name, string volumeId, Dictionary<string, double> metrics, string metric, CancellationToken cancellationToken) =>
        (await TimedAsync(() => client.CreateSnapshotAsync(name, volumeId, cancellationToken), metrics, metric)).SnapshotId;

    private static async Task<T> TimedAsync<T>(Func<Task<T>> call, Dictionary<string, double> metrics, string metric)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await call();
        metrics[metric] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        return result;
    }

    /// <summary>The driver's resident and peak resident memory, when --driver-pid names it.</summary>
    private static void ReadMemory(BenchOptions options, Dictionary<string, double> metrics, string when)
    {
        if (options.DriverPid is not { } pid)
            return;
        metrics[$"driver_rss_{when}_mib"] = Math.Round(ProcStatus.ResidentMiB(pid), 1);
        metrics[$"driver_hwm_{when}_mib"] = Math.Round(ProcStatus.PeakResidentMiB(pid), 1);
    }
}
