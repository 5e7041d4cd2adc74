using Mono.Unix.Native;

namespace Loam.Storage.Os;

public sealed class Mounter : IMounter
{
    private const int UmountNoFollow = 8;

    public void Mount(string device, string target, string fileSystemType, KernelMountFlags flags, string data)
    {
        if (Libc.Mount(device, target, fileSystemType, (nuint)(ulong)flags, data.Length == 0 ? null : data) != 0)
        {
            var errno = Libc.LastError();
            throw StorageException.Internal($"mount {device} at {target} as {fileSystemType} failed: {Libc.Describe(errno)}");
        }
    }

    public void Bind(string source, string target, KernelMountFlags flags)
    {
        if (Libc.Mount(source, target, null, (nuint)(ulong)KernelMountFlags.Bind, null) != 0)
        {
            var errno = Libc.LastError();
            throw StorageException.Internal($"bind mount of {source} at {target} failed: {Libc.Describe(errno)}");
        }
        var perMount = flags & KernelMountFlags.PerMount;
        if (perMount == KernelMountFlags.None)
            return;
        if (Libc.Mount(null, target, null, (nuint)(ulong)(KernelMountFlags.Remount | KernelMountFlags.Bind | perMount), null) != 0)
        {
            var errno = Libc.LastError();
            Libc.Umount2(target, UmountNoFollow);
            throw StorageException.Internal($"applying {perMount} to the bind mount at {target} failed: {Libc.Describe(errno)}");
        }
    }

    public bool Unmount(string target)
    {
        if (Libc.Umount2(target, UmountNoFollow) == 0)
            return true;
        var errno = Libc.LastError();
        return errno switch
        {
            // EINVAL: not a mount point; ENOENT: no such path. Either way nothing is mounted there.
            Errno.EINVAL or Errno.ENOENT => false,
            Errno.EBUSY => throw StorageException.FailedPrecondition($"{target} is busy: a process still uses it"),
            _ => throw StorageException.Internal($"unmount {target} failed: {Libc.Describe(errno)}"),
        };
    }
}
