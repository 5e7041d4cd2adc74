using Loam.Storage.Os;

namespace Loam.Storage.Volumes;

/// <summary>The controller's view of a volume's health: is its image there and whole?</summary>
public sealed class VolumeHealth(IImageFiles images)
{
    /// <returns>null when healthy, else what is wrong.</returns>
    public string? Problem(StoredVolume volume)
    {
        var path = volume.ImagePath;
        if (!images.Exists(path))
            return $"image {path} is missing";
        var size = images.Size(path);
        return size < volume.Record.CapacityBytes
            ? $"image {path} is {size} bytes, smaller than the volume's {volume.Record.CapacityBytes}"
            : null;
    }
}
