namespace Loam.Node;

/// <summary>
/// NodeGetVolumeStats in storage terms: bytes (and inodes for a filesystem), or null when
/// they cannot be read, and the volume's condition as this node sees it.
/// </summary>
public sealed record VolumeStats(
    long? TotalBytes,
    long? AvailableBytes,
    long? UsedBytes,
    long? TotalInodes,
    long? FreeInodes,
    long? UsedInodes,
    bool Abnormal,
    string Condition);
