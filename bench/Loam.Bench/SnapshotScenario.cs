using System.Diagnostics;
using System.Security.Cryptography;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>snapshot</c>: write D MiB of random data through a mounted volume, snapshot it, restore
/// the snapshot into a new volume, mount that and check the data is the same, byte for byte.
/// </summary>
public static class SnapshotScenario
{
    private const string DataFile = "bench.data";

    public static async Task<Dictionary<string, double>> RunAsync(CsiClient client, BenchOptions options, CancellationToken cancellationToken)
    {
        var root = Path.Combine(options.RequireMountRoot(), "bench-" + options.RunId);
        var mounter = new NodeMounter(client, await client.DescribeAsync(cancellationToken));
        var metrics = new Dictionary<string, double> { ["data_mib"] = options.DataMiB, ["size_bytes"] = options.SizeBytes };
        var volumes = new List<string>();
        string? snapshotId = null;
        MountRecord? source = null, restored = null;
        try
        {
            var spec = new VolumeSpec(options.Name("snapsrc", 0), options.SizeBytes) { FsType = options.FsType };
            volumes.Add((await client.CreateVolumeAsync(spec, cancellationToken)).VolumeId);
            source = await MountAsync(mounter, volumes[0], root, "source", cancellationToken);

            var started = Stopwatch.GetTimestamp();
            var written = await WriteAsync(Path.Combine(source.TargetPath, DataFile), options.DataMiB, cancellationToken);
            metrics["write_mib_per_s"] = Math.Round(options.DataMiB / Stopwatch.GetElapsedTime(started).TotalSeconds, 1);

            started = Stopwatch.GetTimestamp();
            snapshotId = (await client.CreateSnapshotAsync(options.Name("snap", 0), volumes[0], cancellationToken)).SnapshotId;
            metrics["snapshot_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

            started = Stopwatch.GetTimestamp();
            volumes.Add((await client.CreateVolumeAsync(spec with { Name = options.Name("restore", 0), FromSnapshotId = snapshotId }, cancellationToken)).VolumeId);
            metrics["restore_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

            started = Stopwatch.GetTimestamp();
            restored = await MountAsync(mounter, volumes[1], root, "restored", cancellationToken);
            metrics["restored_mount_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

            started = Stopwatch.GetTimestamp();
            var read = await HashAsync(Path.Combine(restored.TargetPath, DataFile), cancellationToken);
            metrics["read_mib_per_s"] = Math.Round(options.DataMiB / Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            metrics["verified"] = written.AsSpan().SequenceEqual(read) ? 1 : 0;
        }
        finally
        {
            await Cleanup.UnmountAsync(mounter, restored);
            await Cleanup.UnmountAsync(mounter, source);
            await Cleanup.DeleteVolumesAsync(client, volumes.AsEnumerable().Reverse());
            if (snapshotId is not null)
                await client.DeleteSnapshotAsync(snapshotId, CancellationToken.None);
            PublishScenario.RemoveEmptyFolders(root);
        }
        return metrics;
    }

    private static async Task<MountRecord> MountAsync(NodeMounter mounter, string volumeId, string root, string name, CancellationToken cancellationToken)
    {
        var plan = await mounter.PlanAsync(volumeId, Path.Combine(root, "pods", name, "target"), Path.Combine(root, "staging", name), readOnly: false, block: false, cancellationToken);
        return await mounter.MountAsync(plan, cancellationToken);
    }

    /// <summary>Writes random data and fsyncs it; returns its SHA-256.</summary>
    private static async Task<byte[]> WriteAsync(string path, int mebibytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
        {
            for (var i = 0; i < mebibytes; i++)
            {
                RandomNumberGenerator.Fill(buffer);
                hash.AppendData(buffer);
                await file.WriteAsync(buffer, cancellationToken);
            }
            file.Flush(flushToDisk: true);
        }
        return hash.GetHashAndReset();
    }

    private static async Task<byte[]> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return await SHA256.HashDataAsync(file, cancellationToken);
    }
}
