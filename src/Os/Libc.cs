using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// The libc calls Mono.Posix does not offer: mount(2), umount2(2), ioctl(2), syncfs(2) and flock(2). Only the
/// seams in this folder call them; errno is read right after each call.
/// </summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string? source, string target, string? fileSystemType, nuint flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int SyncFs(int fd);

    /// <summary>ioctl whose argument is a number (or nothing).</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, nint argument);

    /// <summary>ioctl whose argument points at a structure.</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, void* argument);

    /// <summary>flock(2): whole-file advisory locks held per open file description.</summary>
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    internal const int LockExclusive = 2;
    internal const int LockNonBlocking = 4;

    /// <summary>errno of the last call above, as a name that reads well in an error message.</summary>
    internal static Errno LastError() => NativeConvert.ToErrno(Marshal.GetLastPInvokeError());

    /// <summary>"EBUSY (Device or resource busy)".</summary>
    internal static string Describe(Errno errno) => $"{errno} ({Stdlib.strerror(errno)})";
}
