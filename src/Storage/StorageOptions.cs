namespace Loam.Storage;

/// <summary>Driver-wide settings that shape storage decisions.</summary>
public sealed record StorageOptions
{
    /// <summary>This node's ID, as NodeGetInfo reports it and topology carries it.</summary>
    public required string NodeId { get; init; }

    /// <summary>Size of a volume whose request names no capacity.</summary>
    public long DefaultVolumeBytes { get; init; } = ByteSize.GiB;

    /// <summary>Largest volume Loam makes; 0 means no limit but the pool's space.</summary>
    public long MaxVolumeBytes { get; init; }

    /// <summary>Filesystem made when a mount capability names none.</summary>
    public string DefaultFsType { get; init; } = FileSystemTypes.Ext4;

    /// <summary>Volumes this node may have attached at once; 0 means no limit.</summary>
    public int MaxVolumesPerNode { get; init; }

    /// <summary>
    /// What is wrong with these settings, each named by its <c>loam serve</c> flag; empty when
    /// they can be served. The driver refuses to start on any.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeId))
            problems.Add("--node-id must not be empty");
        if (MaxVolumesPerNode < 0)
            problems.Add("--max-volumes-per-node must not be negative");
        if (DefaultVolumeBytes <= 0)
            problems.Add("--default-volume-size must be more than 0");
        if (MaxVolumeBytes < 0)
            problems.Add("--max-volume-size must not be negative");
        if (!FileSystemTypes.IsSupported(DefaultFsType))
            problems.Add(
                $"--default-fs-type '{DefaultFsType}' is not one of {string.Join(", ", FileSystemTypes.Supported)}");
        return problems;
    }
}
