namespace Loam.Storage.Os;

/// <summary>Seam over FIFREEZE/FITHAW: holds a mounted filesystem still while its image is copied.</summary>
public interface IFileSystemFreezer
{
    /// <summary>
    /// Flushes and freezes the filesystem mounted at <paramref name="mountPoint"/>: writers block
    /// until <see cref="Thaw"/>. The caller must thaw on every path.
    /// </summary>
    /// <exception cref="StorageException">Unavailable when the filesystem cannot be frozen.</exception>
    void Freeze(string mountPoint);

    /// <summary>Lets writes through again. A filesystem that is not frozen is not an error.</summary>
    /// <returns>true when it was frozen.</returns>
    bool Thaw(string mountPoint);
}
