using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// NodeGetVolumeStats: statvfs of a staged or published filesystem, the size of a published
/// block device, and a condition: abnormal when the image is gone, the loop device was
/// detached underneath, or the filesystem went read-only after errors.
/// </summary>
public sealed class VolumeStatsReader(KernelVolumeViewReader reader, IFileSystemSpace space, IImageFiles images, IHostFiles files, PathPolicy paths)
{
    /// <exception cref="StorageException">NotFound when the volume is not staged or published at the path.</exception>
    public VolumeStats Read(NodeVolume volume, string volumePath)
    {
        if (!paths.TryCheck(volumePath, out var path, out _))
            throw NotHere(volume, volumePath);
        var state = reader.Read(volume);
        if (state.TopAt(path) is not { } top)
            throw NotHere(volume, volumePath);
        if (state.DeviceOf(top) is { } device)
            return FileSystem(state, device, path);
        if (state.BlockBindAt(path) is { } bind && bind.Mount == top)
            return Block(state, bind.Device);
        var node = files.Inspect(path);
        if (state.IsStaleLoopBind(top, node))
            return new VolumeStats(null, null, null, null, null, null, true, $"loop device {top.Root.TrimStart('/')} was detached from the volume's image: {path} no longer reaches the volume");
        throw NotHere(volume, volumePath);
    }

    private VolumeStats FileSystem(KernelVolumeView state, LoopDevice device, string path)
    {
        SpaceInfo info;
        try
        {
            info = space.Query(path);
        }
        catch (IOException e)
        {
            return new VolumeStats(null, null, null, null, null, null, true, $"the filesystem at {path} cannot be read: {e.Message}");
        }
        var problem = ImageProblem(state, device)
            ?? (WentReadOnly(state, device) ? $"the filesystem on {device.DevicePath} was remounted read-only after errors" : null);
        return new VolumeStats(info.TotalBytes, info.AvailableBytes, info.UsedBytes, info.TotalInodes, info.FreeInodes, info.UsedInodes,
            problem is not null, problem ?? $"mounted from {device.DevicePath}");
    }

    private VolumeStats Block(KernelVolumeView state, LoopDevice device)
    {
        var problem = ImageProblem(state, device);
        return new VolumeStats(device.SizeBytes, null, null, null, null, null, problem is not null, problem ?? $"attached as {device.DevicePath}");
    }

    private string? ImageProblem(KernelVolumeView state, LoopDevice device)
    {
        if (device.BackingDeleted || !images.Exists(state.Volume.ImagePath))
            return $"image {device.BackingPath} is missing: {device.DevicePath} serves a deleted file";
        return null;
    }

    private static bool WentReadOnly(KernelVolumeView state, LoopDevice device) => state.FileSystemMountsOf(device).Any(NodeChecks.WentReadOnly);

    private static StorageException NotHere(NodeVolume volume, string path) =>
        StorageException.NotFound($"volume {volume.Id} does not exist on the specified path {path}: it is neither staged nor published there");
}
