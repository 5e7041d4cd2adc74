namespace Loam.Storage.Os;

/// <summary>
/// Seam over the node's own files that the CO names: staging and target paths. Paths
/// given here are absolute and already checked by the caller.
/// </summary>
public interface IHostFiles
{
    /// <summary>
    /// The path with every symbolic link resolved and "." and ".." applied physically, like
    /// realpath(3), except that a missing tail is kept as written (it cannot hold a link).
    /// </summary>
    /// <exception cref="StorageException">InvalidArgument on a link loop.</exception>
    string Resolve(string path);

    PathStatus Inspect(string path);

    /// <summary>Creates a directory (mode 0750); one that exists already is fine. The parent must exist.</summary>
    void CreateDirectory(string path);

    /// <summary>Creates an empty file to bind a device node onto; one that exists already is fine. The parent must exist.</summary>
    void CreateFile(string path);

    /// <summary>Removes an empty directory or a file; a missing path is fine.</summary>
    void Remove(string path);

    /// <summary>Gives a directory to group <paramref name="groupId"/>: group-owned, group read-write-search, set-group-ID so new entries inherit it.</summary>
    void GrantGroup(string path, uint groupId);
}
