namespace Loam.Storage.Os;

/// <summary>Seam over statvfs(2) and syncfs(2).</summary>
public interface IFileSystemSpace
{
    /// <exception cref="IOException">the path cannot be queried (missing, not a mount, I/O error).</exception>
    SpaceInfo Query(string path);

    /// <summary>
    /// Commits the filesystem that holds <paramref name="path"/> (syncfs(2) on a descriptor of it).
    /// btrfs and xfs count a deleted file's blocks as used until their next commit; after this
    /// call <see cref="Query"/> sees them free.
    /// </summary>
    /// <exception cref="IOException">the path cannot be opened or the filesystem reports a write error.</exception>
    void Sync(string path);
}
