using System.Diagnostics;
using Xunit.Abstractions;
using static Loam.Tests.Integration.Snapshots.SnapshotBed;

namespace Loam.Tests.Integration.Snapshots;

/// <summary>
/// Figures, printed to the test output: CreateSnapshot and CreateVolume-from-snapshot times
/// through the real driver for volumes full of random data, on xfs (reflink) and ext4 (sparse
/// copy) pools. Opt-in with LOAM_MEASURE=1 (as root); they assert behaviour only, never timings.
/// </summary>
public sealed class SnapshotMeasurements(ITestOutputHelper output)
{
    [MeasureFact]
    public async Task Snapshot_and_restore_times_for_volumes_full_of_random_data()
    {
        foreach (var poolFs in new[] { "xfs", "ext4" })
        {
            await using var bed = await Testbed.StartAsync(poolFs, "measure-" + poolFs, poolSize: 6L << 30);
            var sizes = poolFs == "xfs" ? new[] { 64L << 20, 512L << 20, 1L << 30 } : [64L << 20, 512L << 20];
            foreach (var size in sizes)
            {
                var name = $"{poolFs}-{size >> 20}m";
                var volume = await bed.CreateVolumeAsync("pvc-" + name, size, Testbed.Block());
                Fill(bed.VolumeImage(volume.VolumeId), size);

                var started = Stopwatch.GetTimestamp();
                var snapshot = await bed.SnapshotAsync("snap-" + name, volume.VolumeId);
                var snapshotMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                var restored = await bed.CreateFromAsync("restore-" + name, size, Testbed.Block(), OfSnapshot(snapshot.SnapshotId));
                var restoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                Assert.Equal(size, restored.CapacityBytes);
                Assert.Equal(Checksum(bed.VolumeImage(volume.VolumeId)), Checksum(bed.VolumeImage(restored.VolumeId)));
                output.WriteLine($"{poolFs} pool, {size >> 20} MiB of random data: CreateSnapshot {snapshotMs:0} ms, CreateVolume from snapshot {restoreMs:0} ms, snapshot allocates {AllocatedBytes(bed.SnapshotImage(snapshot.SnapshotId)) >> 20} MiB");
            }
        }
    }

    private static void Fill(string image, long size)
    {
        var buffer = new byte[8 << 20];
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        for (var written = 0L; written < size; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
        stream.Flush(flushToDisk: true);
    }

    private static string Checksum(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
