using Loam.Storage.Volumes;

namespace Loam.Storage.Records;

/// <summary>
/// The metadata of one volume, stored as JSON beside its image. Its presence is the
/// commit point of a create; its absence the commit point of a delete.
/// </summary>
public sealed record VolumeRecord
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Pool { get; init; }
    public required long CapacityBytes { get; init; }
    /// <summary>The filesystem made on first stage when the capability names none.</summary>
    public required string FsType { get; init; }
    public Provisioning Provisioning { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> MutableParameters { get; init; } = new Dictionary<string, string>();
    public ContentSource? Source { get; init; }
    /// <summary>The node of a node-local pool; null for a shared pool reachable from every node.</summary>
    public string? Node { get; init; }
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    /// <summary>Made by NodePublish for an inline ephemeral volume; deleted by its NodeUnpublish.</summary>
    public bool Ephemeral { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// Whether a mkfs of Loam finished on the image: false for a volume created blank that no mkfs
    /// of Loam has finished on yet and that was never handed to a workload as a raw device (only
    /// then may an incomplete filesystem on it be made anew); true once one has; null when unknown
    /// (content from a source, a block volume, records written before this field) and never touched.
    /// </summary>
    public bool? Formatted { get; init; }
}
