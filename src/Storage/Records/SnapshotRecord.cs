namespace Loam.Storage.Records;

/// <summary>
/// The metadata of one snapshot, stored as JSON beside its read-only image in the source
/// volume's pool. As with volumes, the record is the commit point of a create and its
/// removal the commit point of a delete.
/// </summary>
public sealed record SnapshotRecord
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Pool { get; init; }
    public required string SourceVolumeId { get; init; }
    /// <summary>The source image's length when the snapshot was taken: the smallest volume it restores into.</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Bytes the snapshot's image really occupies on the pool (its allocated blocks).</summary>
    public long AllocatedBytes { get; init; }
    /// <summary>True when the image shares extents with its source (FICLONE); false for a sparse copy.</summary>
    public bool Reflinked { get; init; }
    /// <summary>The group snapshot this snapshot belongs to, if any.</summary>
    public string? GroupId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
