namespace Loam.Storage.Snapshots.Metadata;

/// <summary>How the snapshot metadata service shapes and computes its answers.</summary>
public sealed record SnapshotMetadataOptions
{
    /// <summary>Variable: fewest tuples, exact extents. Fixed suits consumers that copy in blocks.</summary>
    public RangeStyle Style { get; init; } = RangeStyle.Variable;

    /// <summary>Block size of the fixed style (a power of two); halved for a volume it does not divide.</summary>
    public int FixedBlockSize { get; init; } = 64 * 1024;

    /// <summary>Tuples per message when the request leaves max_results at 0.</summary>
    public int DefaultMaxResults { get; init; } = 1024;

    /// <summary>
    /// Most tuples a message ever holds, whatever max_results asks (the spec lets the plugin send
    /// fewer): about 1 MiB encoded, well below the 4 MiB a gRPC client accepts by default.
    /// </summary>
    public int MaxTuplesPerMessage { get; init; } = 65536;

    /// <summary>Granularity of content comparison: the smallest range a delta reports (the page size of every pool filesystem).</summary>
    public int CompareBlockSize { get; init; } = 4096;

    /// <summary>Bytes read from each image at a time when comparing content: memory per call is twice this.</summary>
    public int CompareBufferSize { get; init; } = 1024 * 1024;
}
