using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>fsync on a folder makes the names in it (creates, renames, unlinks) durable.</summary>
public sealed class PosixDirectoryFsync : IDirectoryFsync
{
    public void Fsync(string folder)
    {
        var fd = Syscall.open(folder, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"open {folder}: {Stdlib.GetLastError()}");
        try
        {
            if (Syscall.fsync(fd) < 0)
                throw new IOException($"fsync {folder}: {Stdlib.GetLastError()}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
