using System.Diagnostics;
using Loam.Storage;
using Loam.Storage.Images;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Makes a filesystem only where there is none, and only on a loop device that the kernel
/// says is backed by this volume's image: never on anything else, never over a signature, with
/// one exception: an incomplete filesystem that Loam's own mkfs left (see <see cref="IsOwnIncomplete"/>).
/// mkfs always runs to its end, whatever the call's deadline; the record notes when it finished.
/// Callers hold the volume's lock.
/// </summary>
public sealed class VolumeFormatter(
    ILoopDevices loops,
    IImageFiles images,
    IFileSystemTools tools,
    VolumeStore store,
    ILogger<VolumeFormatter> logger)
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
            if (await IsOwnIncomplete(volume, device, wanted, signature, cancellationToken))
            {
                if (readOnly)
                    throw StorageException.FailedPrecondition(
                        $"volume {volume.Id} holds an incomplete {found} and cannot be made anew while staged read-only");
                NodeLog.ReplacingIncomplete(logger, device.DevicePath, volume.Id.Value, found);
                await MakeAsync(volume, device, wanted, replace: true);
                return wanted;
            }
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

        await MakeAsync(volume, device, wanted, replace: false);
        return wanted;
    }

    /// <summary>
    /// A block volume's device is the workload's to write: once handed out raw, nothing on it is
    /// Loam's own, so the record stops saying that no mkfs of Loam finished there.
    /// </summary>
    public void HandingOutRaw(NodeVolume volume)
    {
        if (volume.Volume.Record.Formatted == false)
            Save(volume, formatted: null);
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

    /// <summary>
    /// The one case in which Loam formats over a signature: the record says the image was created
    /// blank, never handed out raw, and no mkfs of Loam finished on it (so nothing but Loam's own
    /// mkfs ever wrote to it); blkid finds exactly the filesystem Loam would make, nothing else; and
    /// that filesystem's own read-only check says it is incomplete (xfs: mkfs still in progress).
    /// A whole one there is Loam's, made just before a crash: the record learns it was formatted.
    /// </summary>
    private async Task<bool> IsOwnIncomplete(
        NodeVolume volume, LoopDevice device, string wanted, DeviceSignature signature, CancellationToken cancellationToken)
    {
        if (volume.Volume.Record.Formatted != false
            || signature.FileSystemType != wanted || signature.OtherSignature is not null)
            return false;
        switch (await tools.CheckAsync(device.DevicePath, wanted, cancellationToken))
        {
            case FileSystemCheck.Incomplete:
                return true;
            case FileSystemCheck.Whole:
                Save(volume, formatted: true);
                return false;
            default:
                throw StorageException.FailedPrecondition(
                    $"volume {volume.Id} holds a {wanted} signature that a mkfs of Loam may have left incomplete, " +
                    $"and {wanted}'s own check could not say; it will not be formatted over");
        }
    }

    private async Task MakeAsync(NodeVolume volume, LoopDevice device, string fsType, bool replace)
    {
        var started = Stopwatch.GetTimestamp();
        // No cancellation: a mkfs killed half-way is what leaves an incomplete filesystem behind.
        if (replace)
            await tools.ReplaceIncompleteAsync(device.DevicePath, fsType);
        else
            await tools.MakeAsync(device.DevicePath, fsType);
        Save(volume, formatted: true);
        NodeLog.Formatted(logger, fsType, device.DevicePath, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Rewrites the record as it is on disk now (under the volume's lock) with only this field changed.</summary>
    private void Save(NodeVolume volume, bool? formatted)
    {
        if (store.Find(volume.Id) is { } stored)
            store.Save(stored.Pool, stored.Record with { Formatted = formatted });
    }
}
