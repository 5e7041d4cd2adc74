namespace Loam.Storage.Os;

public sealed class FileExtents : IFileExtents
{
    public IExtentReader Open(string path) => new ExtentReader(path);
}
