using Loam.Storage;
using Loam.Storage.Os;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// The one composition of attach, ensure filesystem, grow and mount, for a stage and for an
/// inline ephemeral volume alike. Each step asks the kernel first (a device already attached is
/// reused), and a failure undoes, by <see cref="Rollback"/>'s rule, what this call made: the mount,
/// then the device it attached. The volume gets its whole size or the mount fails: a smaller
/// filesystem would be a silent shortfall. Callers hold the volume's lock.
/// </summary>
public sealed class VolumeMounting(
    LoopAttacher attacher,
    VolumeFormatter formatter,
    MountPoints mountPoints,
    IHostFiles files,
    ILogger<VolumeMounting> logger)
{
    /// <returns>the filesystem now mounted at the target.</returns>
    public Task<string> MountAsync(KernelVolumeView state, FileSystemMount plan, CancellationToken cancellationToken) =>
        Rollback.RunAsync(logger, plan.Operation, state.Volume.Id.Value,
            rollback => MountAsync(state, plan, rollback, cancellationToken));

    /// <summary>The same, as steps of the caller's <paramref name="rollback"/>, undone with its own.</summary>
    public async Task<string> MountAsync(
        KernelVolumeView state, FileSystemMount plan, Rollback rollback, CancellationToken cancellationToken)
    {
        var volume = state.Volume;
        files.CreateDirectory(plan.Target);
        var (device, attachedNow) = attacher.EnsureAttached(state, plan.DeviceReadOnly);
        if (attachedNow)
            DetachOnFailure(rollback, device);
        var fsType = await formatter.EnsureFileSystemAsync(
            volume, device, plan.FsType, plan.Insist, plan.DeviceReadOnly, cancellationToken);
        if (!plan.DeviceReadOnly)
            await formatter.GrowUnmountedAsync(device, fsType, cancellationToken);
        HoldPoints.Reach(HoldPoints.StageFormatted);
        var flags = plan.Options.Flags | (plan.MountReadOnly ? KernelMountFlags.ReadOnly : 0);
        mountPoints.Mount(device.DevicePath, plan.Target, fsType, flags, plan.Options.DataFor(fsType));
        rollback.OnFailure($"the mount at {plan.Target}", () => mountPoints.Unmount(plan.Target));
        if (!plan.MountReadOnly)
            await formatter.GrowMountedAsync(device, plan.Target, fsType, cancellationToken);
        mountPoints.GrantGroup(plan.Target, plan.Group, plan.MountReadOnly);
        return fsType;
    }

    /// <summary>The undo of a device attached for one step: detached when that step fails.</summary>
    public void DetachOnFailure(Rollback rollback, LoopDevice device) =>
        rollback.OnFailure($"the attach of {device.DevicePath}", () => attacher.Detach(device));
}
