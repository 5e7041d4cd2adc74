using Loam.Storage.Os;

namespace Loam.Storage.Images;

/// <summary>
/// The one rule for "which loop device holds this image" and "which image does this device
/// hold", asked by the node, the controller's delete, the freezer, the start-up thaw and the
/// metrics alike. A device holds an image when its backing file's (lo_device, lo_inode) is the
/// image's (st_dev, st_ino): never by comparing the kernel's path text, which is relative to
/// the mount namespace the image was opened in and reads differently once that is gone.
/// <para>
/// A device whose image was unlinked while attached (its text ends in " (deleted)") keeps an
/// inode no name reaches. For clean-up only (unmount and detach, never attach, format or
/// resize) it counts as a former image at a path when its lo_device is the st_dev of the
/// filesystem holding the image's folder and the file name at the end of its text (which the
/// kernel keeps in every namespace) is the image's name. Image names are Loam IDs, so such a
/// device can only be an earlier image of that same volume on that filesystem.
/// </para>
/// </summary>
public static class ImageLoops
{
    /// <summary>Devices of the image now at <paramref name="imagePath"/> (none without a regular file there).</summary>
    public static IReadOnlyList<LoopDevice> LiveHolders(
        this ILoopDevices loops, IImageFiles images, string imagePath) =>
        images.Identify(imagePath) is { } image ? [.. loops.List().Where(d => d.Image == image)] : [];

    /// <summary>Whether <paramref name="device"/> is backed by the image now at <paramref name="imagePath"/>.</summary>
    public static bool HoldsNow(this IImageFiles images, LoopDevice device, string imagePath) =>
        images.Identify(imagePath) is { } image && device.Image == image;

    /// <summary>
    /// Devices backed by any of <paramref name="imagePaths"/> (the image and the other places it
    /// may have been): the live ones, and those holding a deleted former image of that name.
    /// </summary>
    public static IReadOnlyList<LoopDevice> Holding(
        IReadOnlyList<LoopDevice> devices, IImageFiles images, IEnumerable<string> imagePaths)
    {
        var found = new List<LoopDevice>();
        foreach (var path in imagePaths)
        {
            var image = images.Identify(path);
            var folderDevice = images.FolderDevice(Path.GetDirectoryName(path)!);
            var name = Path.GetFileName(path);
            found.AddRange(devices.Where(d => !found.Contains(d)
                && ((image is { } i && d.Image == i) || HeldDeleted(d, folderDevice, name))));
        }
        return found;
    }

    /// <summary>Devices backed by an image in <paramref name="folder"/> (pool volumes), also a deleted one.</summary>
    public static IReadOnlyList<LoopDevice> InFolder(
        IReadOnlyList<LoopDevice> devices, IImageFiles images, string folder)
    {
        if (!Directory.Exists(folder))
            return [];
        var identities = new HashSet<ImageIdentity>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.img"))
        {
            if (images.Identify(path) is { } image)
                identities.Add(image);
        }
        var folderDevice = images.FolderDevice(folder);
        return [.. devices.Where(d => identities.Contains(d.Image)
            || (d.BackingDeleted && d.Image.Device == folderDevice && IsImageName(Path.GetFileName(d.BackingPath))))];
    }

    private static bool HeldDeleted(LoopDevice device, ulong? folderDevice, string imageName) =>
        device.BackingDeleted && device.Image.Device == folderDevice
        && Path.GetFileName(device.BackingPath) == imageName;

    private static bool IsImageName(string name) =>
        name.EndsWith(".img", StringComparison.Ordinal)
        && ResourceId.TryParse(name[..^".img".Length], ResourceKind.Volume, out _);
}
