using Mono.Unix.Native;

namespace Loam.Storage.Os;

public sealed class FileSystemFreezer : IFileSystemFreezer
{
    public void Freeze(string mountPoint)
    {
        var errno = Call(mountPoint, Libc.FiFreeze);
        // EBUSY: frozen already. Loam freezes a volume only for one copy, under the volume's lock, so
        // this is a freeze a killed driver never thawed (the volume's writers hang until it is):
        // thaw it, then freeze for this copy.
        if (errno == Errno.EBUSY)
        {
            Thaw(mountPoint);
            errno = Call(mountPoint, Libc.FiFreeze);
        }
        if (errno != 0)
            throw new StorageException(StorageError.Unavailable, $"cannot freeze the filesystem at {mountPoint}: FIFREEZE {Libc.Describe(errno)}");
    }

    public bool Thaw(string mountPoint)
    {
        var errno = Call(mountPoint, Libc.FiThaw);
        // EINVAL: it was not frozen, which is what thawing wants.
        if (errno != 0 && errno != Errno.EINVAL)
            throw new StorageException(StorageError.Internal, $"cannot thaw the filesystem at {mountPoint}: FITHAW {Libc.Describe(errno)}");
        return errno == 0;
    }

    private static Errno Call(string mountPoint, nuint request)
    {
        var fd = Syscall.open(mountPoint, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            return Stdlib.GetLastError();
        try
        {
            return Libc.Ioctl(fd, request, 0) == 0 ? 0 : Libc.LastError();
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
