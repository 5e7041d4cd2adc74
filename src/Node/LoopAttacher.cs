using Loam.Storage;
using Loam.Storage.Os;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Puts a volume's image on a loop device, or finds the one already there (after a crash
/// or a restart the kernel still holds it). Direct I/O is asked for every time; a pool
/// filesystem that cannot serve it leaves the device buffered, which is logged.
/// </summary>
public sealed class LoopAttacher(ILoopDevices loops, IImageFiles images, ILogger<LoopAttacher> logger)
{
    /// <returns>the device, and whether this call attached it (so a failure later can undo it).</returns>
    public (LoopDevice Device, bool AttachedNow) EnsureAttached(KernelVolumeView state, bool readOnly)
    {
        var volume = state.Volume;
        var image = volume.ImagePath;
        if (state.LiveDevices.FirstOrDefault(d => d.ReadOnly == readOnly) is { } present)
        {
            // The controller may have grown the image while the volume was not staged.
            if (images.Size(image) != present.SizeBytes)
                loops.RefreshSize(present.DevicePath);
            return (present, false);
        }
        foreach (var other in state.LiveDevices.ToList())
        {
            var users = state.UsersOf(other).ToList();
            if (users.Count > 0)
                throw StorageException.FailedPrecondition(
                    $"volume {volume.Id} is attached {(other.ReadOnly ? "read-only" : "read-write")} as {other.DevicePath} and in use at {string.Join(", ", users)}; it cannot be staged {(readOnly ? "read-only" : "read-write")} as well");
            Detach(other);
        }
        return (Attach(volume, readOnly), true);
    }

    /// <summary>A read-only device beside a read-write staging one, for a read-only block publish.</summary>
    public (LoopDevice Device, bool AttachedNow) EnsureReadOnlyCompanion(KernelVolumeView state)
    {
        if (state.LiveDevices.FirstOrDefault(d => d.ReadOnly) is { } present)
            return (present, false);
        return (Attach(state.Volume, readOnly: true), true);
    }

    public void Detach(LoopDevice device)
    {
        loops.Detach(device.DevicePath);
        NodeLog.Detached(logger, device.DevicePath, device.BackingFile);
    }

    private LoopDevice Attach(NodeVolume volume, bool readOnly)
    {
        var image = volume.ImagePath;
        if (!images.Exists(image))
            throw StorageException.FailedPrecondition($"volume {volume.Id} has no image at {image}: the volume is damaged");
        var device = loops.Attach(image, readOnly, directIo: true);
        NodeLog.Attached(logger, image, device.DevicePath, readOnly ? "read-only" : "read-write", device.DirectIo);
        if (!device.DirectIo)
            NodeLog.DirectIoRefused(logger, image, device.DevicePath);
        return device;
    }
}
