using Mono.Unix.Native;

namespace Loam.Storage.Os;

public sealed class HostFiles : IHostFiles
{
    public string Resolve(string path) => RealPath.Resolve(path);

    public PathStatus Inspect(string path)
    {
        if (Syscall.lstat(path, out var st) != 0)
        {
            var errno = Stdlib.GetLastError();
            return errno is Errno.ENOENT or Errno.ENOTDIR ? PathStatus.Missing : new PathStatus(PathKind.Unreadable, Error: Libc.Describe(errno));
        }
        return (st.st_mode & FilePermissions.S_IFMT) switch
        {
            FilePermissions.S_IFDIR => new PathStatus(PathKind.Directory),
            FilePermissions.S_IFREG => new PathStatus(PathKind.File),
            FilePermissions.S_IFLNK => new PathStatus(PathKind.SymbolicLink),
            FilePermissions.S_IFBLK => new PathStatus(PathKind.BlockDevice, DeviceNumber(st.st_rdev)),
            _ => new PathStatus(PathKind.Other),
        };
    }

    public void CreateDirectory(string path)
    {
        if (Syscall.mkdir(path, FilePermissions.S_IRWXU | FilePermissions.S_IRGRP | FilePermissions.S_IXGRP) == 0)
            return;
        var errno = Stdlib.GetLastError();
        if (errno == Errno.EEXIST && Inspect(path).Kind == PathKind.Directory)
            return;
        throw errno == Errno.EEXIST
            ? StorageException.FailedPrecondition($"{path} exists and is not a directory")
            : StorageException.Internal($"mkdir {path} failed: {Libc.Describe(errno)}");
    }

    public void CreateFile(string path)
    {
        var fd = Syscall.open(path, OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC,
            FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP);
        if (fd >= 0)
        {
            Syscall.close(fd);
            return;
        }
        var errno = Stdlib.GetLastError();
        // A device node bind-mounted here already opens as a device, not as the file: that is fine too.
        if (Inspect(path).Kind is PathKind.File or PathKind.BlockDevice)
            return;
        throw errno is Errno.EISDIR or Errno.ELOOP
            ? StorageException.FailedPrecondition($"{path} exists and is not a file")
            : StorageException.Internal($"creating {path} failed: {Libc.Describe(errno)}");
    }

    public void Remove(string path)
    {
        var status = Inspect(path);
        if (!status.Exists)
            return;
        var failed = status.Kind == PathKind.Directory ? Syscall.rmdir(path) : Syscall.unlink(path);
        if (failed == 0)
            return;
        var errno = Stdlib.GetLastError();
        if (errno == Errno.ENOENT)
            return;
        throw errno == Errno.ENOTEMPTY
            ? StorageException.FailedPrecondition($"{path} is not empty after unmounting, so it was not removed: something wrote below the mount point")
            : StorageException.Internal($"removing {path} failed: {Libc.Describe(errno)}");
    }

    public void GrantGroup(string path, uint groupId)
    {
        if (Syscall.lstat(path, out var st) != 0)
            throw StorageException.Internal($"stat {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
        // uid -1 leaves the owner as it is.
        if (Syscall.chown(path, uint.MaxValue, groupId) != 0)
            throw StorageException.Internal($"chgrp {groupId} {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
        var mode = (st.st_mode & FilePermissions.ALLPERMS) | FilePermissions.S_IRWXG | FilePermissions.S_ISGID;
        if (Syscall.chmod(path, mode) != 0)
            throw StorageException.Internal($"chmod {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
    }

    /// <summary>Linux dev_t as "MAJOR:MINOR" (glibc's gnu_dev_major/minor encoding).</summary>
    public static string DeviceNumber(ulong dev)
    {
        var major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        var minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        return $"{major}:{minor}";
    }
}
