using System.Diagnostics;
using System.Globalization;
using Csi.V1;
using Grpc.Core;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots.Metadata;
using Xunit.Abstractions;

namespace Loam.Tests.Integration.SnapshotMetadata;

/// <summary>
/// Figures for the lead's note: GetMetadataAllocated and GetMetadataDelta through the real
/// driver on an xfs pool, for a 1 GiB volume with 1000 scattered 64 KiB writes before each of
/// two snapshots, and the driver's RSS. Opt-in (LOAM_MEASURE=1, root); asserts behaviour only.
/// </summary>
public sealed class SnapshotMetadataMeasurements(ITestOutputHelper output)
{
    private const long Size = 1L << 30;
    private const int Block = 64 * 1024;
    private const int Writes = 1000;
    private const string VolumeId = "vol-fedcba9876543210fedcba9876543210";

    [MeasureFact]
    public async Task Metadata_calls_on_a_1_GiB_volume_with_1000_scattered_64_KiB_writes()
    {
        await using var bed = await Testbed.StartAsync("xfs", "metameasure", poolSize: 8L << 30);
        var pool = new Pool(new PoolOptions("default", bed.PoolPath));
        var volume = Path.Combine(pool.VolumesDirectory, VolumeId + ".img");
        VolumeWriter.Create(volume, Size);
        var random = new Random(12345);
        ByteRange[] Scattered() => [.. Enumerable.Range(0, Writes).Select(_ => new ByteRange(random.NextInt64(Size / Block) * Block, Block))];
        var firstWrites = Scattered();
        var secondWrites = Scattered();
        var maker = new HandMadeSnapshots(pool);
        byte pattern = 0;
        VolumeWriter.Write(volume, firstWrites, ref pattern);
        var reflinkBase = maker.Take(volume, VolumeId, "xfs", reflink: true);
        var copyBase = maker.Take(volume, VolumeId, "xfs", reflink: false);
        VolumeWriter.Write(volume, secondWrites, ref pattern);
        var reflinkTarget = maker.Take(volume, VolumeId, "xfs", reflink: true);
        var copyTarget = maker.Take(volume, VolumeId, "xfs", reflink: false);
        var idle = Rss(bed.Driver.Pid);

        // Each call twice: the first pays for JIT and cold caches, the second shows the steady state.
        var (allocated, allocatedMs) = await Twice(() => bed.Csi.SnapshotMetadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = reflinkTarget }));
        var (byExtents, extentsMs) = await Twice(() => bed.Csi.SnapshotMetadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = reflinkBase, TargetSnapshotId = reflinkTarget }));
        var (byContent, contentMs) = await Twice(() => bed.Csi.SnapshotMetadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = copyBase, TargetSnapshotId = copyTarget }));
        var after = Rss(bed.Driver.Pid);

        var expectedAllocated = Ranges.Merge(firstWrites.Concat(secondWrites).OrderBy(r => r.Offset)).ToList();
        var expectedDelta = Ranges.Merge(secondWrites.OrderBy(r => r.Offset)).ToList();
        Assert.Equal(expectedAllocated, allocated);
        Assert.Equal(expectedDelta, byExtents);
        Assert.Equal(expectedDelta, byContent);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1 GiB volume on xfs, {Writes} scattered 64 KiB writes before each of two snapshots, driver {Driver()}:"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GetMetadataAllocated: {allocated.Count} tuples in {allocatedMs.First:0.0} ms (again: {allocatedMs.Second:0.0} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GetMetadataDelta by extents (reflinks): {byExtents.Count} tuples in {extentsMs.First:0.0} ms (again: {extentsMs.Second:0.0} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GetMetadataDelta by content (sparse copies): {byContent.Count} tuples in {contentMs.First:0.0} ms (again: {contentMs.Second:0.0} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"driver RSS: {idle.Rss / 1024.0:0.0} MiB before the calls, {after.Rss / 1024.0:0.0} MiB after, peak (VmHWM) {after.Peak / 1024.0:0.0} MiB"));
    }

    private static string Driver() => Environment.GetEnvironmentVariable("LOAM_BINARY") is { Length: > 0 } binary ? binary : "JIT (" + RepoPaths.Configuration + ")";

    private static async Task<(List<ByteRange> Ranges, (double First, double Second) Ms)> Twice<T>(Func<AsyncServerStreamingCall<T>> start) where T : Google.Protobuf.IMessage
    {
        var (ranges, first) = await Timed(start);
        var (again, second) = await Timed(start);
        Assert.Equal(ranges, again);
        return (ranges, (first, second));
    }

    private static async Task<(List<ByteRange> Ranges, double Ms)> Timed<T>(Func<AsyncServerStreamingCall<T>> start) where T : Google.Protobuf.IMessage
    {
        var started = Stopwatch.GetTimestamp();
        var ranges = new List<ByteRange>();
        using var call = start();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            var tuples = message switch
            {
                GetMetadataAllocatedResponse a => a.BlockMetadata,
                GetMetadataDeltaResponse d => d.BlockMetadata,
                _ => throw new InvalidOperationException(message.GetType().Name),
            };
            ranges.AddRange(tuples.Select(b => new ByteRange(b.ByteOffset, b.SizeBytes)));
        }
        return (ranges, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>VmRSS and VmHWM of a process, in KiB.</summary>
    private static (long Rss, long Peak) Rss(int pid)
    {
        long Field(string name) => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Field("VmRSS:"), Field("VmHWM:"));
    }
}
