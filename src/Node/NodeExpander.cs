using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// NodeExpandVolume: the controller grew the image; here the loop device takes the image's
/// new size (LOOP_SET_CAPACITY) and the mounted filesystem grows online to fill it. Both
/// steps are no-ops when already done, so a retry is harmless.
/// </summary>
public sealed class NodeExpander(
    VolumeStateReader reader,
    ILoopDevices loops,
    IFileSystemTools tools,
    PathPolicy paths,
    ILogger<NodeExpander> logger)
{
    /// <returns>the volume's size on this node after the expansion.</returns>
    public async Task<long> ExpandAsync(NodeVolume volume, string volumePath, CapacityRange range, CancellationToken cancellationToken)
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

        loops.RefreshSize(device.DevicePath);
        var size = loops.List().FirstOrDefault(d => d.DevicePath == device.DevicePath)?.SizeBytes
            ?? throw StorageException.Internal($"{device.DevicePath} was detached during the expansion");
        if (range.RequiredBytes > size)
            throw StorageException.OutOfRange($"volume {volume.Id} is {ByteSize.Format(size)} ({size} bytes); required_bytes {range.RequiredBytes} needs ControllerExpandVolume first");
        if (range.LimitBytes > 0 && size > range.LimitBytes)
            throw StorageException.OutOfRange($"volume {volume.Id} is already {size} bytes, above limit_bytes {range.LimitBytes}");
        if (fileSystem is not null)
        {
            if (NodeChecks.IsReadOnly(fileSystem) || NodeChecks.WentReadOnly(fileSystem))
                throw StorageException.FailedPrecondition($"volume {volume.Id} is mounted read-only at {path}; its filesystem cannot grow");
            await tools.GrowAsync(device.DevicePath, path, fileSystem.FsType, cancellationToken);
        }
        NodeLog.Expanded(logger, device.DevicePath, size, fileSystem?.FsType ?? "block");
        return size;
    }
}
