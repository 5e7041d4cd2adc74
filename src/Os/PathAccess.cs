using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>What the kernel lets this process do with a path (access(2), with its real IDs).</summary>
public static class PathAccess
{
    /// <summary>
    /// Null when this process may create entries in <paramref name="directory"/>, else the errno
    /// that says why not.
    /// </summary>
    public static string? WhyNotWritable(string directory) =>
        Syscall.access(directory, AccessModes.W_OK) == 0 ? null : Stdlib.GetLastError().ToString();
}
