namespace Loam.Storage.Os;

/// <summary>The one system call <see cref="DirectorySyncs"/> batches: fsync(2) of a folder.</summary>
public interface IDirectoryFsync
{
    /// <exception cref="IOException">when the folder cannot be opened or synced.</exception>
    void Fsync(string folder);
}
