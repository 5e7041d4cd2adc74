using System.Diagnostics;
using Loam.Storage;
using Loam.Storage.Images;
using Loam.Storage.Os;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Makes a filesystem only where there is none, and only on a loop device that the kernel
/// says is backed by this volume's image: never on anything else, never over a signature.
/// </summary>
public sealed class VolumeFormatter(
    ILoopDevices loops, IImageFiles images, IFileSystemTools tools, ILogger<VolumeFormatter> logger)
{
    /// <param name="wanted">the filesystem to make when the device is blank.</param>
    /// <param name="insist">whether the capability named <paramref name="wanted"/>, so that another filesystem is an error.</param>
    /// <returns>the filesystem the device now holds.</returns>
    public async Task<string> EnsureFileSystemAsync(NodeVolume volume, LoopDevice device, string wanted, bool insist, bool readOnly, CancellationToken cancellationToken)
    {
        var current = loops.List().FirstOrDefault(d => d.DevicePath == device.DevicePath);
        if (current is null || !images.HoldsNow(current, volume.ImagePath))
            throw StorageException.Internal($"refusing to format {device.DevicePath}: it is not backed by the image of volume {volume.Id} ({current?.BackingFile ?? "detached"})");

        var signature = await tools.ProbeAsync(device.DevicePath, cancellationToken);
        if (signature.FileSystemType is { } found)
        {
            if (!FileSystemTypes.IsSupported(found))
                throw StorageException.FailedPrecondition($"volume {volume.Id} holds a {found} filesystem, which Loam does not mount (supported: {string.Join(", ", FileSystemTypes.Supported)})");
            if (insist && found != wanted)
                throw StorageException.FailedPrecondition($"volume {volume.Id} holds a {found} filesystem; the capability asks for {wanted}");
            return found;
        }
        if (signature.OtherSignature is { } other)
            throw StorageException.FailedPrecondition($"volume {volume.Id} holds {other}, not a filesystem; it will not be formatted over");
        if (readOnly)
            throw StorageException.FailedPrecondition($"volume {volume.Id} has no filesystem yet and cannot get one while staged read-only");

        var started = Stopwatch.GetTimestamp();
        await tools.MakeAsync(device.DevicePath, wanted, cancellationToken);
        NodeLog.Formatted(logger, wanted, device.DevicePath, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return wanted;
    }

    /// <summary>
    /// Before the first mount: grows a filesystem that is smaller than its device (a clone or
    /// restore into a larger volume, an image grown while unstaged) where that works offline
    /// (ext4), so that no CAP_SYS_RESOURCE is needed. A no-op when it already fills the device.
    /// </summary>
    /// <exception cref="StorageException">when the filesystem cannot be grown; it is left unmounted.</exception>
    public async Task GrowUnmountedAsync(LoopDevice device, string fsType, CancellationToken cancellationToken)
    {
        var size = await tools.UnmountedSizeAsync(device.DevicePath, fsType, cancellationToken);
        if (size is null || size >= device.SizeBytes)
            return;
        await tools.GrowUnmountedAsync(device.DevicePath, fsType, cancellationToken);
        NodeLog.GrewBeforeMount(logger, device.DevicePath, size.Value, device.SizeBytes, fsType);
    }

    /// <summary>
    /// After the mount: grows the filesystems that grow only mounted (xfs, btrfs) to fill
    /// their device; their tools do nothing when it already does. ext4 was grown offline.
    /// </summary>
    public async Task GrowMountedAsync(
        LoopDevice device, string mountPoint, string fsType, CancellationToken cancellationToken)
    {
        if (fsType == FileSystemTypes.Ext4)
            return;
        await tools.GrowAsync(device.DevicePath, mountPoint, fsType, cancellationToken);
    }
}
