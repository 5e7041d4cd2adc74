using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>The libc calls behind image copies, extent walks and filesystem freezes (Mono.Posix has none of them).</summary>
internal static unsafe partial class Libc
{
    /// <summary>_IOW(0x94, 9, int): make the destination share all of the source's extents.</summary>
    internal const nuint FiClone = 0x40049409;

    /// <summary>_IOWR('X', 119, int): block writes and flush the filesystem mounted at the fd's path.</summary>
    internal const nuint FiFreeze = 0xC0045877;

    /// <summary>_IOWR('X', 120, int): let writes through again.</summary>
    internal const nuint FiThaw = 0xC0045878;

    /// <summary>lseek(2) whence values Mono.Posix lacks: the next data, the next hole.</summary>
    internal const int SeekData = 3;
    internal const int SeekHole = 4;

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    internal static partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    internal static partial long Lseek(int fd, long offset, int whence);
}
