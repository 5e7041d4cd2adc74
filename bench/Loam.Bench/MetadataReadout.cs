using Csi.V1;
using Grpc.Core;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// Everything one GetMetadataAllocated or GetMetadataDelta stream returned: its tuples in
/// order, their count and the bytes they cover (the sum of their sizes).
/// </summary>
public sealed record MetadataReadout(IReadOnlyList<BlockMetadata> Tuples)
{
    public long Bytes => Tuples.Sum(t => t.SizeBytes);

    /// <summary>Reads every message of the allocated ranges of <paramref name="snapshotId"/>.</summary>
    public static async Task<MetadataReadout> AllocatedAsync(CsiConnection connection, string snapshotId, CancellationToken cancellationToken)
    {
        using var call = connection.SnapshotMetadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = snapshotId }, cancellationToken: cancellationToken);
        var tuples = new List<BlockMetadata>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
            tuples.AddRange(message.BlockMetadata);
        return new MetadataReadout(tuples);
    }

    /// <summary>Reads every message of the ranges that changed from <paramref name="baseId"/> to <paramref name="targetId"/>.</summary>
    public static async Task<MetadataReadout> DeltaAsync(CsiConnection connection, string baseId, string targetId, CancellationToken cancellationToken)
    {
        using var call = connection.SnapshotMetadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = baseId, TargetSnapshotId = targetId }, cancellationToken: cancellationToken);
        var tuples = new List<BlockMetadata>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
            tuples.AddRange(message.BlockMetadata);
        return new MetadataReadout(tuples);
    }

    /// <summary>
    /// Whether the tuples together cover every byte of [offset, offset + length) for each given
    /// offset; overlapping, adjacent and unsorted tuples are all fine.
    /// </summary>
    public bool Covers(IEnumerable<long> offsets, int length)
    {
        var merged = new List<(long Start, long End)>();
        foreach (var tuple in Tuples.OrderBy(t => t.ByteOffset))
        {
            var end = tuple.ByteOffset + tuple.SizeBytes;
            if (merged.Count > 0 && tuple.ByteOffset <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            else
                merged.Add((tuple.ByteOffset, end));
        }
        return offsets.All(offset =>
        {
            // The last merged range starting at or before the offset must reach past the block's end.
            var index = merged.BinarySearch((offset, long.MaxValue), Comparer<(long Start, long End)>.Create((a, b) => a.Start.CompareTo(b.Start)));
            var candidate = index >= 0 ? index : ~index - 1;
            return candidate >= 0 && merged[candidate].Start <= offset && merged[candidate].End >= offset + length;
        });
    }
}
