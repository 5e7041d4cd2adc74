namespace Loam.Storage.Os;

/// <summary>Seam over statvfs(2).</summary>
public interface IFileSystemSpace
{
    /// <exception cref="IOException">the path cannot be queried (missing, not a mount, I/O error).</exception>
    SpaceInfo Query(string path);
}
