namespace Loam.Storage.Os;

/// <summary>Seam over how a file's bytes are laid out on its filesystem: holes, data and extents.</summary>
public interface IFileExtents
{
    /// <summary>Opens a file for reading its layout and content.</summary>
    /// <exception cref="FileNotFoundException">when the file does not exist.</exception>
    IExtentReader Open(string path);
}
