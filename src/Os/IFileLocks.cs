namespace Loam.Storage.Os;

/// <summary>
/// Seam over flock(2) on lock files: an exclusive lock that other processes honour, on this
/// host and, where the filesystem carries flock to its server (NFSv4, CephFS), on every node.
/// </summary>
public interface IFileLocks
{
    /// <summary>
    /// Opens <paramref name="path"/> (creating it, never through a symlink) and takes an exclusive
    /// lock without waiting. A held lock is on the file the path names at the moment it is granted:
    /// a lock file unlinked by its holder in between is never mistaken for the live one.
    /// </summary>
    /// <exception cref="StorageException">Unavailable when the file cannot be opened or is no regular file.</exception>
    FileLockAttempt TryLock(string path);

    /// <summary>The text a holder wrote with <see cref="IFileLock.Describe"/> (read without locking); null when there is none.</summary>
    string? ReadHolder(string path);
}
