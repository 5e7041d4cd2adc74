using System.Text;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// realpath(3) that tolerates a missing tail: every symbolic link resolved and "." and ".."
/// applied physically; components that do not exist are kept as written (they cannot be links).
/// Used for CO paths on every call and for pool roots once at start.
/// </summary>
public static class RealPath
{
    private const int MaxLinks = 40;

    /// <exception cref="StorageException">InvalidArgument for a relative path or a link loop.</exception>
    public static string Resolve(string path)
    {
        if (!path.StartsWith('/'))
            throw StorageException.InvalidArgument($"'{path}' is not an absolute path");
        var pending = new List<string>(Split(path));
        var resolved = "/";
        var links = 0;
        var missing = false;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
                continue;
            if (part == "..")
            {
                resolved = Parent(resolved);
                continue;
            }
            var next = resolved == "/" ? "/" + part : resolved + "/" + part;
            if (missing || Syscall.lstat(next, out var st) != 0)
            {
                // A component that does not exist cannot be a link; nor can anything below it.
                missing = true;
                resolved = next;
                continue;
            }
            if ((st.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFLNK)
            {
                resolved = next;
                continue;
            }
            if (++links > MaxLinks)
                throw StorageException.InvalidArgument($"'{path}' has more than {MaxLinks} nested symbolic links");
            var target = ReadLink(next);
            if (target.StartsWith('/'))
                resolved = "/";
            pending.InsertRange(0, Split(target));
        }
        return resolved;
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Parent(string resolved)
    {
        var slash = resolved.LastIndexOf('/');
        return slash <= 0 ? "/" : resolved[..slash];
    }

    private static string ReadLink(string path)
    {
        var buffer = new byte[4096];
        var length = Syscall.readlink(path, buffer);
        if (length < 0)
            throw StorageException.Internal($"readlink {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
        return Encoding.UTF8.GetString(buffer, 0, (int)length);
    }
}
