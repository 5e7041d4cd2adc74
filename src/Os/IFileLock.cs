namespace Loam.Storage.Os;

/// <summary>A held lock file. Disposing releases it (closing the file releases the flock).</summary>
public interface IFileLock : IDisposable
{
    /// <summary>
    /// Unlinks the lock file while the lock is still held, then releases it. Safe for waiting
    /// openers: each checks, once granted, that the path still names the file it locked.
    /// </summary>
    void RemoveAndRelease();

    /// <summary>Replaces the lock file's text with <paramref name="holder"/>, for whoever finds the lock held.</summary>
    void Describe(string holder);
}
