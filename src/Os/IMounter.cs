namespace Loam.Storage.Os;

/// <summary>
/// Seam over mount(2) and umount2(2). Callers pass paths they have already checked and
/// resolved; failures carry errno in a message fit for the CO.
/// </summary>
public interface IMounter
{
    /// <summary>Mounts the filesystem on <paramref name="device"/> at <paramref name="target"/>.</summary>
    /// <param name="data">filesystem options, comma-separated, already checked against an allow-list.</param>
    void Mount(string device, string target, string fileSystemType, KernelMountFlags flags, string data);

    /// <summary>
    /// Bind-mounts <paramref name="source"/> (a directory, or a device node onto a file) at
    /// <paramref name="target"/>, then applies per-mount <paramref name="flags"/> (read-only,
    /// nosuid, ...) by a remount, since the kernel ignores them on the bind itself. When the
    /// remount fails the bind is undone.
    /// </summary>
    void Bind(string source, string target, KernelMountFlags flags);

    /// <summary>Unmounts the topmost mount at <paramref name="target"/>, never following a symlink there.</summary>
    /// <returns>false when nothing was mounted at <paramref name="target"/>.</returns>
    /// <exception cref="StorageException">FailedPrecondition when the mount is busy.</exception>
    bool Unmount(string target);
}
