using Mono.Unix.Native;

namespace Loam.Storage.Os;

public sealed class PosixFileSystemSpace : IFileSystemSpace
{
    public SpaceInfo Query(string path)
    {
        if (Syscall.statvfs(path, out var s) != 0)
            throw new IOException($"statvfs {path}: {Stdlib.GetLastError()}");
        var unit = (long)s.f_frsize;
        return new SpaceInfo(
            TotalBytes: (long)s.f_blocks * unit,
            FreeBytes: (long)s.f_bfree * unit,
            AvailableBytes: (long)s.f_bavail * unit,
            TotalInodes: (long)s.f_files,
            FreeInodes: (long)s.f_ffree,
            ReadOnly: (s.f_flag & MountFlags.ST_RDONLY) != 0);
    }

    public void Sync(string path)
    {
        // Followed like statvfs follows it: the filesystem to commit is the one Query measures.
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"open {path}: {Stdlib.GetLastError()}");
        try
        {
            if (Libc.SyncFs(fd) != 0)
                throw new IOException($"syncfs {path}: {Libc.Describe(Libc.LastError())}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
