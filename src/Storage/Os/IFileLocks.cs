namespace Loam.Storage.Os;

/// <summary>
/// Seam over whole-file locks (flock(2)) held for as long as a process serves. The kernel
/// drops a lock when its holder exits, however it exits, so a lock never outlives a crash.
/// </summary>
public interface IFileLocks
{
    /// <summary>
    /// Opens (creating) <paramref name="path"/>, never through a symlink, and takes its
    /// exclusive lock without waiting; then replaces the file's text with <paramref name="holder"/>.
    /// </summary>
    /// <returns>the held lock, or null when another open file holds it.</returns>
    IDisposable? TryLock(string path, string holder);

    /// <summary>The text the current holder wrote (read without locking); null when there is none.</summary>
    string? ReadHolder(string path);
}
