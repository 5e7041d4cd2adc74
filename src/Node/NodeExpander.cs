using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// NodeExpandVolume. Node-local pools expand here alone: their controller does not
/// advertise EXPAND_VOLUME (<c>ControllerCapabilities</c>), so the CO marks the resize done
/// and asks the node that holds the volume. The node grows the image to the requested size
/// (the same range, maximum and capacity admission as ControllerExpandVolume, and the record
/// saved the same crash-safe way), the loop device takes the image's new size
/// (LOOP_SET_CAPACITY) and the mounted filesystem grows online to fill it. Each step is a
/// no-op when already done, so a retry, or a controller that grew the image first, is harmless.
/// </summary>
public sealed class NodeExpander(
    KernelVolumeViewReader reader,
    VolumeProvisioner provisioner,
    ILoopDevices loops,
    IFileSystemTools tools,
    PathPolicy paths,
    ILogger<NodeExpander> logger)
{
    /// <returns>the volume's size on this node after the expansion.</returns>
    public async Task<long> ExpandAsync(
        NodeVolume volume, string volumePath, CapacityRange range, CancellationToken cancellationToken)
    {
        var path = paths.Check(volumePath, "volume_path");
        var state = reader.Read(volume);
        LoopDevice device;
        MountInfo? fileSystem = null;
        if (state.TopAt(path) is { } top && state.LiveDeviceOf(top) is { } mounted)
        {
            device = mounted;
            fileSystem = top;
        }
        else if (state.BlockBindAt(path) is { } bind && !bind.Device.BackingDeleted)
            device = bind.Device;
        else
            throw StorageException.FailedPrecondition($"volume {volume.Id} is neither staged nor published at {path}");
        // Refused before anything grows: an image larger than a filesystem that cannot follow helps no one.
        if (fileSystem is not null && (NodeChecks.IsReadOnly(fileSystem) || NodeChecks.WentReadOnly(fileSystem)))
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is mounted read-only at {path}; its filesystem cannot grow");

        provisioner.Expand(volume.Volume, range);
        loops.RefreshSize(device.DevicePath);
        var size = loops.List().FirstOrDefault(d => d.DevicePath == device.DevicePath)?.SizeBytes
            ?? throw StorageException.Internal($"{device.DevicePath} was detached during the expansion");
        if (range.RequiredBytes > size)
            throw StorageException.Internal(
                $"{device.DevicePath} is {ByteSize.Format(size)} ({size} bytes) after the refresh; "
                + $"volume {volume.Id} needs {range.RequiredBytes}");
        if (fileSystem is not null)
            await tools.GrowAsync(device.DevicePath, path, fileSystem.FsType, cancellationToken);
        NodeLog.Expanded(logger, device.DevicePath, size, fileSystem?.FsType ?? "block");
        return size;
    }
}
