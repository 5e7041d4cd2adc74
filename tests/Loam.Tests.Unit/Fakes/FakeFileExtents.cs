using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>Images by path; opening one never closes it for other readers.</summary>
public sealed class FakeFileExtents : IFileExtents
{
    public Dictionary<string, FakeImage> Images { get; } = [];

    public IExtentReader Open(string path)
    {
        if (!Images.TryGetValue(path, out var image))
            throw new FileNotFoundException($"no image {path}", path);
        image.Opened++;
        return image;
    }
}
