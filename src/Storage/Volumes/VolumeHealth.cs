using Loam.Storage.Os;

namespace Loam.Storage.Volumes;

/// <summary>The controller's view of a volume's health: is its image there and whole?</summary>
public sealed class VolumeHealth(IImageFiles images)
{
    /// <returns>null when healthy, else what is wrong.</returns>
    public string? Problem(StoredVolume volume) => Problem(volume.ImagePath, volume.Record.CapacityBytes);

    /// <summary>One lstat of the image: its presence and its size come from the same answer.</summary>
    /// <returns>null when healthy, else what is wrong.</returns>
    public string? Problem(string imagePath, long capacityBytes)
    {
        long size;
        try
        {
            size = images.Size(imagePath);
        }
        catch (FileNotFoundException)
        {
            return $"image {imagePath} is missing";
        }
        catch (StorageException)
        {
            // Anything but a regular file in the image's place (a symlink, a folder) is no image.
            return $"image {imagePath} is missing";
        }
        return size < capacityBytes
            ? $"image {imagePath} is {size} bytes, smaller than the volume's {capacityBytes}"
            : null;
    }
}
