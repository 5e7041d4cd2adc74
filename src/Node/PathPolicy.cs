using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// Where the CO may point the driver: absolute paths that, with every symbolic link
/// resolved, lie strictly below one of the allowed roots. Callers use the resolved path
/// from then on, so a link cannot lead a mount out of the roots.
/// </summary>
public sealed class PathPolicy(NodeOptions options, IHostFiles files)
{
    /// <summary>PATH_MAX: longer paths are refused before touching the filesystem.</summary>
    private const int MaxLength = 4096;

    /// <returns>the resolved path.</returns>
    /// <exception cref="StorageException">InvalidArgument naming <paramref name="field"/> and what was wrong.</exception>
    public string Check(string path, string field) =>
        TryCheck(path, out var resolved, out var problem) ? resolved : throw StorageException.InvalidArgument($"{field}: {problem}");

    public bool TryCheck(string path, out string resolved, out string problem)
    {
        resolved = "";
        if (path.Length > MaxLength || path.Contains('\0', StringComparison.Ordinal))
        {
            problem = $"path is longer than {MaxLength} bytes or holds a NUL";
            return false;
        }
        if (!path.StartsWith('/'))
        {
            problem = $"'{path}' is not an absolute path";
            return false;
        }
        resolved = files.Resolve(path);
        foreach (var root in options.AllowedRoots)
        {
            if (IsStrictlyBelow(resolved, files.Resolve(root)))
            {
                problem = "";
                return true;
            }
        }
        problem = resolved == path
            ? $"'{path}' is outside the allowed roots ({string.Join(", ", options.AllowedRoots)})"
            : $"'{path}' resolves to '{resolved}', outside the allowed roots ({string.Join(", ", options.AllowedRoots)})";
        return false;
    }

    /// <summary>Whether an already resolved path (from the mount table) lies below an allowed root.</summary>
    public bool IsAllowed(string resolvedPath) =>
        options.AllowedRoots.Any(root => IsStrictlyBelow(resolvedPath, files.Resolve(root)));

    private static bool IsStrictlyBelow(string path, string root) =>
        root == "/" ? path.Length > 1 : path.StartsWith(root + "/", StringComparison.Ordinal) && path.Length > root.Length + 1;
}
