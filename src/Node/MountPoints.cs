using Loam.Storage;
using Loam.Storage.Os;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Mounting and unmounting at CO paths, with the logging and corrupt-mount recovery every caller needs.
/// </summary>
public sealed class MountPoints(IMounter mounter, IHostFiles files, ILogger<MountPoints> logger)
{
    /// <summary>
    /// Whether the mount point cannot be looked at (ENOTCONN, ESTALE, EIO, ...): its filesystem
    /// is gone from under it. Such a mount is unmounted and made again.
    /// </summary>
    public bool IsCorrupt(string path, out string error)
    {
        var status = files.Inspect(path);
        error = status.Error ?? "";
        return status.Kind == PathKind.Unreadable;
    }

    public void Mount(string device, string target, string fileSystemType, KernelMountFlags flags, string data)
    {
        mounter.Mount(device, target, fileSystemType, flags, data);
        NodeLog.Mounted(logger, device, target);
    }

    public void Bind(string source, string target, KernelMountFlags flags)
    {
        mounter.Bind(source, target, flags);
        NodeLog.Mounted(logger, source, target);
    }

    public void Unmount(string target)
    {
        if (!mounter.Unmount(target))
            throw StorageException.Internal(
                $"{target} shows in the mount table but umount finds nothing mounted there");
        NodeLog.Unmounted(logger, target);
    }

    /// <summary>Unmounts a corrupt mount point so that the caller can mount afresh.</summary>
    public void Recover(string path, string error)
    {
        NodeLog.RecoveringCorruptMount(logger, path, error);
        Unmount(path);
    }

    public void RemoveStale(LoopDevice device, string path)
    {
        NodeLog.RemovingStaleMount(logger, device.DevicePath, path);
        Unmount(path);
    }

    /// <summary>Gives the volume root to the mount group, unless it is read-only.</summary>
    public void GrantGroup(string path, uint? groupId, bool readOnly)
    {
        if (groupId is { } gid && !readOnly)
            files.GrantGroup(path, gid);
    }
}
