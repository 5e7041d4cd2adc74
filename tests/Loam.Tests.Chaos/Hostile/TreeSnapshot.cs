using Mono.Unix.Native;

namespace Loam.Tests.Chaos.Hostile;

/// <summary>Every entry below a folder (not following symlinks) with its type, size, mode, owner, times and link target.</summary>
public static class TreeSnapshot
{
    public static IReadOnlyList<string> Take(string root)
    {
        var entries = new List<string> { Describe(root) };
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        entries.AddRange(Directory.EnumerateFileSystemEntries(root, "*", options).Order(StringComparer.Ordinal).Select(Describe));
        return entries;
    }

    private static string Describe(string path)
    {
        if (Syscall.lstat(path, out var st) != 0)
            return $"{path}: lstat failed {Stdlib.GetLastError()}";
        var link = (st.st_mode & FilePermissions.S_IFMT) == FilePermissions.S_IFLNK ? " -> " + new FileInfo(path).LinkTarget : "";
        return $"{path}: mode {Convert.ToString((uint)st.st_mode, 8)} uid {st.st_uid} gid {st.st_gid} size {st.st_size} mtime {st.st_mtime}.{st.st_mtime_nsec} ctime {st.st_ctime}.{st.st_ctime_nsec} dev {st.st_dev} ino {st.st_ino}{link}";
    }
}
