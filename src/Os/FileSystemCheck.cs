namespace Loam.Storage.Os;

/// <summary>What a filesystem's own read-only checker says of a device that carries its signature.</summary>
public enum FileSystemCheck
{
    /// <summary>A whole filesystem.</summary>
    Whole,

    /// <summary>
    /// Not a whole filesystem: xfs's superblock still says mkfs is in progress, e2fsck -n or
    /// btrfs check --readonly find it broken.
    /// </summary>
    Incomplete,

    /// <summary>The checker could not say (missing, or failed in a way that says nothing of the filesystem).</summary>
    Unknown,
}
