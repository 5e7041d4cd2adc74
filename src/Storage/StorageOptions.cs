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
}
