using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// NodePublishVolume and NodeUnpublishVolume for staged volumes: a bind mount of the staged
/// filesystem onto the target directory, or of the loop device node onto a target file.
/// What the kernel shows at the target decides between "done already", "conflict" and
/// "do it"; a target whose device was detached underneath is cleaned up as well.
/// </summary>
public sealed class VolumePublisher(
    VolumeLocator locator,
    KernelVolumeViewReader reader,
    LoopAttacher attacher,
    VolumeMounting mounting,
    MountPoints mountPoints,
    IHostFiles files,
    PathPolicy paths,
    StorageOptions options,
    ILogger<VolumePublisher> logger)
{
    public void Publish(PublishRequest request)
    {
        var capability = request.Capability;
        if (string.IsNullOrEmpty(request.StagingPath))
            throw StorageException.FailedPrecondition(
                "staging_target_path is required: this driver stages " +
                "volumes (STAGE_UNSTAGE_VOLUME) before publishing them");
        var target = paths.Check(request.TargetPath, "target_path");
        var staging = paths.Check(request.StagingPath, "staging_target_path");
        var volume = locator.Get(request.VolumeId);
        NodeChecks.EnsureUsable(volume.Volume, capability, options.NodeId);
        var readOnly = request.ReadOnly || capability.IsReadOnlyMode;
        var state = reader.Read(volume);
        if (capability.AccessType == AccessType.Block)
            PublishBlock(state, capability, target, readOnly);
        else
            PublishMount(state, capability, staging, target, readOnly);
    }

    /// <summary>Undoes whatever this volume has at the target and removes the target.</summary>
    /// <returns>the volume as found, for the caller to finish an ephemeral one.</returns>
    public NodeVolume Unpublish(string volumeId, string targetPath)
    {
        var target = paths.Check(targetPath, "target_path");
        var volume = locator.Find(volumeId);
        var state = reader.Read(volume);
        while (state.TopAt(target) is { } top)
        {
            var node = files.Inspect(target);
            var ours = state.DeviceOf(top) is not null || state.BlockBindAt(target) is not null
                || state.IsStaleLoopBind(top, node);
            if (!ours)
                throw volume.Exists
                    ? StorageException.FailedPrecondition(
                        $"{target} holds a mount of {top.Source} ({top.FsType}), " +
                        $"not volume {volume.Id}; it was left alone")
                    : StorageException.NotFound($"volume {volumeId} does not exist");
            mountPoints.Unmount(target);
            state = reader.Read(volume);
        }
        files.Remove(target);
        ReleaseReadOnlyCompanions(state);
        return volume;
    }

    private void PublishMount(
        KernelVolumeView state, VolumeCapabilitySpec capability, string staging, string target, bool readOnly)
    {
        var volume = state.Volume;
        MountOptionPolicy.EnsureAllowedForSome(capability.MountFlags);
        var staged = state.TopAt(staging) is { } s && state.LiveDeviceOf(s) is { } d ? (Mount: s, Device: d)
            : throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is not staged at {staging}; NodeStageVolume it first");
        if (!readOnly && NodeChecks.IsReadOnly(staged.Mount))
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is staged read-only at {staging}; it cannot be published read-write");
        if (capability.FsType is { } fsType && staged.Mount.FsType != fsType)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is staged as {staged.Mount.FsType}; the capability asks for {fsType}");
        var mountOptions = MountOptionPolicy.Parse(capability.MountFlags, staged.Mount.FsType);
        var group = MountGroup.Parse(capability.MountGroup);

        if (state.TopAt(target) is { } existing)
        {
            if (mountPoints.IsCorrupt(target, out var error))
                mountPoints.Recover(target, error);
            else if (existing.Source == staged.Device.DevicePath && existing.Root == staged.Mount.Root)
            {
                if (NodeChecks.IsReadOnly(existing) != readOnly || !mountOptions.AreSetOn(existing))
                    throw StorageException.AlreadyExists(
                        $"volume {volume.Id} is already published at {target}, " +
                        $"{(NodeChecks.IsReadOnly(existing) ? "read-only" : "read-write")} " +
                        "and with its own mount flags; the request differs");
                mountPoints.GrantGroup(target, group, readOnly);
                return;
            }
            else
                throw StorageException.AlreadyExists(
                    $"{target} already holds a mount of {existing.Source} ({existing.FsType}), not volume {volume.Id}");
        }
        var others = state.FileSystemMountsOf(staged.Device)
            .Where(m => m.Root == staged.Mount.Root && m.MountPoint != staging && m.MountPoint != target
                && paths.IsAllowed(m.MountPoint))
            .Select(m => m.MountPoint);
        EnsureOneTargetUnlessShared(volume, capability, others);

        files.CreateDirectory(target);
        mountPoints.Bind(staging, target, mountOptions.PerMount | (readOnly ? KernelMountFlags.ReadOnly : 0));
        mountPoints.GrantGroup(target, group, readOnly);
    }

    private void PublishBlock(KernelVolumeView state, VolumeCapabilitySpec capability, string target, bool readOnly)
    {
        var volume = state.Volume;
        var staged = state.LiveDevices.OrderBy(d => d.ReadOnly).FirstOrDefault()
            ?? throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is not staged (no loop device holds its image); NodeStageVolume it first");
        if (!readOnly && staged.ReadOnly)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is staged read-only (read-only " +
                "attachment or access mode); it cannot be published read-write");
        if (state.FileSystemMountsOf(staged).FirstOrDefault() is { } asFileSystem)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is staged as a {asFileSystem.FsType} " +
                $"filesystem at {asFileSystem.MountPoint}, not as a block device");

        if (state.TopAt(target) is { } existing)
        {
            if (state.BlockBindAt(target) is { } bound && bound.Mount == existing)
            {
                if (bound.Device.ReadOnly != readOnly)
                    throw StorageException.AlreadyExists(
                        $"volume {volume.Id} is already published at {target} " +
                        $"{(bound.Device.ReadOnly ? "read-only" : "read-write")}; the request differs");
                return;
            }
            var node = files.Inspect(target);
            if (node.Kind == PathKind.Unreadable || state.IsStaleLoopBind(existing, node))
                mountPoints.Recover(
                    target, node.Error ?? $"device {node.DeviceNumber} was detached from the volume's image");
            else
                throw StorageException.AlreadyExists(
                    $"{target} already holds a mount of {existing.Source} " +
                    $"({existing.FsType}), not volume {volume.Id} as a block device");
        }
        EnsureOneTargetUnlessShared(volume, capability,
            state.BlockBinds.Where(b => b.Mount.MountPoint != target).Select(b => b.Mount.MountPoint));

        // A read-only bind of a device node still lets writers open the device: read-only needs a read-only device.
        var (device, attachedNow) = readOnly && !staged.ReadOnly
            ? attacher.EnsureReadOnlyCompanion(state)
            : (staged, false);
        Rollback.Run(logger, "NodePublishVolume", volume.Id.Value, rollback =>
        {
            if (attachedNow)
                mounting.DetachOnFailure(rollback, device);
            files.CreateFile(target);
            mountPoints.Bind(device.DevicePath, target, readOnly ? KernelMountFlags.ReadOnly : 0);
        });
    }

    /// <summary>Read-only companions of a read-write staging device go when no bind uses them.</summary>
    private void ReleaseReadOnlyCompanions(KernelVolumeView state)
    {
        if (!state.LiveDevices.Any(d => !d.ReadOnly))
            return;
        foreach (var companion in state.LiveDevices.Where(d => d.ReadOnly && !state.InUse(d)).ToList())
            attacher.Detach(companion);
    }

    private static void EnsureOneTargetUnlessShared(
        NodeVolume volume, VolumeCapabilitySpec capability, IEnumerable<string> otherTargets)
    {
        if (NodeChecks.AllowsSeveralTargets(capability.Mode))
            return;
        var others = otherTargets.ToList();
        if (others.Count > 0)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is already published at {string.Join(", ", others)} " +
                $"and access mode {capability.Mode} allows one target on a node");
    }
}
