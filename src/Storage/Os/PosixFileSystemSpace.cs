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
}
