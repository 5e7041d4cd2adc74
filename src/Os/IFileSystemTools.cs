namespace Loam.Storage.Os;

/// <summary>
/// Seam over the filesystem tools (blkid, mkfs.*, the checkers, resize2fs, xfs_growfs, btrfs), each run
/// through <see cref="ICommandRunner"/> with a timeout; a failure carries the tool's stderr.
/// </summary>
public interface IFileSystemTools
{
    /// <summary>Low-level probe of the device itself (no cache).</summary>
    Task<DeviceSignature> ProbeAsync(string device, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a filesystem on a loop device. The tools themselves refuse a device that holds a
    /// signature. It takes no cancellation: a mkfs killed half-way leaves a partial signature,
    /// so it always runs to its end (its timeout, for a hung tool, is the only kill).
    /// </summary>
    Task MakeAsync(string device, string fileSystemType);

    /// <summary>
    /// Makes the filesystem over an incomplete one (forced), to the end like <see cref="MakeAsync"/>.
    /// Only for a device <see cref="CheckAsync"/> found <see cref="FileSystemCheck.Incomplete"/>
    /// whose record says no mkfs of Loam ever finished on it.
    /// </summary>
    Task ReplaceIncompleteAsync(string device, string fileSystemType);

    /// <summary>Asks the filesystem's own read-only checker whether the unmounted device holds a whole one.</summary>
    Task<FileSystemCheck> CheckAsync(
        string device, string fileSystemType, CancellationToken cancellationToken = default);

    /// <summary>Grows the mounted filesystem to fill its device, online.</summary>
    Task GrowAsync(string device, string mountPoint, string fileSystemType, CancellationToken cancellationToken = default);

    /// <summary>
    /// The size of an unmounted filesystem, read from its superblock; null for a type that is
    /// measured and grown only while mounted (xfs, btrfs).
    /// </summary>
    Task<long?> UnmountedSizeAsync(string device, string fileSystemType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Grows an unmounted filesystem to fill its device: a forced check first (the grow tool
    /// refuses a filesystem that was not checked), then the grow. Needs no CAP_SYS_RESOURCE,
    /// unlike online ext4 growth. Only for types whose <see cref="UnmountedSizeAsync"/> answers.
    /// </summary>
    Task GrowUnmountedAsync(string device, string fileSystemType, CancellationToken cancellationToken = default);
}
