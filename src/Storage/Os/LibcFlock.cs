using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>flock(2), which Mono.Posix lacks (it offers only fcntl record locks).</summary>
internal static partial class Libc
{
    internal const int LockExclusive = 2;
    internal const int LockNonBlocking = 4;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);
}
