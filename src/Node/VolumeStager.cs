using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>
/// NodeStageVolume and NodeUnstageVolume. A filesystem volume is staged as its loop device
/// mounted at the staging path; a block volume as the attached device alone. Every step
/// first asks the kernel what is already done, so a retry after a crash, a restart or a
/// reboot finishes the work instead of repeating it.
/// </summary>
public sealed class VolumeStager(
    VolumeLocator locator,
    KernelVolumeViewReader reader,
    LoopAttacher attacher,
    VolumeFormatter formatter,
    VolumeMounting mounting,
    MountPoints mountPoints,
    PathPolicy paths,
    IFileSystemFreezer freezer,
    StorageOptions options)
{
    public async Task StageAsync(StageRequest request, CancellationToken cancellationToken)
    {
        var capability = request.Capability;
        var staging = paths.Check(request.StagingPath, "staging_target_path");
        var volume = locator.Get(request.VolumeId);
        NodeChecks.EnsureUsable(volume.Volume, capability, options.NodeId);
        var readOnly = request.ReadOnly || capability.IsReadOnlyMode;
        var state = reader.Read(volume);

        if (capability.AccessType == AccessType.Block)
        {
            if (state.TopAt(staging) is { } mounted && state.DeviceOf(mounted) is not null)
                throw StorageException.AlreadyExists(
                    $"volume {volume.Id} is staged at {staging} as a " +
                    $"{mounted.FsType} filesystem, not as a block device");
            formatter.HandingOutRaw(volume);
            attacher.EnsureAttached(state, readOnly);
            return;
        }

        var fsType = FileSystemTypes.Resolve(capability.FsType, volume.Volume.Record.FsType);
        var mountOptions = MountOptionPolicy.Parse(capability.MountFlags, fsType);
        var group = MountGroup.Parse(capability.MountGroup);
        var remounting = false;
        if (state.TopAt(staging) is { } existing)
        {
            if (state.LiveDeviceOf(existing) is not null)
            {
                if (mountPoints.IsCorrupt(staging, out var error))
                {
                    mountPoints.Recover(staging, error);
                    remounting = true;
                }
                else
                {
                    EnsureSameStage(volume, existing, capability.FsType, mountOptions, readOnly, staging);
                    mountPoints.GrantGroup(staging, group, readOnly);
                    return;
                }
            }
            else if (state.DeviceOf(existing) is { } stale)
                mountPoints.RemoveStale(stale, staging);
            else
                throw StorageException.AlreadyExists(
                    $"{staging} already holds a mount of {existing.Source} " +
                    $"({existing.FsType}), not volume {volume.Id}");
            state = reader.Read(volume);
        }

        // One staging path per volume on a node: a second mount of the device elsewhere would look like
        // a publish to the unstage of either path, and then neither could ever be unstaged.
        if (!remounting && state.LiveDevices.SelectMany(state.UsersOf).FirstOrDefault() is { } elsewhere)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is already staged or published at {elsewhere}; NodeUnstageVolume it there first");
        var fsWanted = new FileSystemMount("NodeStageVolume", staging, fsType, Insist: capability.FsType is not null,
            mountOptions, group, DeviceReadOnly: readOnly, MountReadOnly: readOnly);
        await mounting.MountAsync(state, fsWanted, cancellationToken);
    }

    public void Unstage(string volumeId, string stagingPath)
    {
        var staging = paths.Check(stagingPath, "staging_target_path");
        Unstage(locator.Find(volumeId), staging, volumeId);
    }

    /// <summary>
    /// Unmounts the volume at <paramref name="staging"/> (null: the caller found no staging mount, as for
    /// a block volume) and detaches its devices that nothing uses. Refuses while a publish target is left.
    /// </summary>
    public void Unstage(NodeVolume volume, string? staging) => Unstage(volume, staging, volume.Id.Value);

    private void Unstage(NodeVolume volume, string? staging, string requestedId)
    {
        var state = reader.Read(volume);
        while (staging is not null && state.TopAt(staging) is { } top)
        {
            var device = state.DeviceOf(top)
                ?? throw (volume.Exists
                    ? StorageException.FailedPrecondition(
                        $"{staging} holds a mount of {top.Source} ({top.FsType}), " +
                        $"not volume {volume.Id}; it was left alone")
                    : StorageException.NotFound($"volume {requestedId} does not exist"));
            var elsewhere = state.UsersOf(device).Where(p => p != staging).ToList();
            if (elsewhere.Count > 0)
                throw StorageException.FailedPrecondition(
                    $"volume {volume.Id} is still published at {string.Join(", ", elsewhere)}; " +
                    "NodeUnpublishVolume it first");
            if (mountPoints.IsCorrupt(staging, out var error))
                mountPoints.Recover(staging, error);
            else
            {
                // Unmounted while frozen (by a snapshot whose driver was killed mid-copy), a
                // filesystem would keep its loop device busy for good: thaw first, a no-op otherwise.
                freezer.Thaw(staging);
                mountPoints.Unmount(staging);
            }
            state = reader.Read(volume);
        }
        // A block volume is staged as its attached device: published binds of the device node must go first.
        if (state.BlockBinds.Count > 0)
            throw StorageException.FailedPrecondition(
                $"volume {volume.Id} is still published at " +
                $"{string.Join(", ", state.BlockBinds.Select(b => b.Mount.MountPoint))}; NodeUnpublishVolume it first");
        foreach (var device in state.Devices.Where(d => !state.InUse(d)))
            attacher.Detach(device);
    }

    private static void EnsureSameStage(
        NodeVolume volume, MountInfo existing, string? fsType, MountOptions mountOptions, bool readOnly, string staging)
    {
        string? conflict = null;
        if (fsType is not null && existing.FsType != fsType)
            conflict = $"it is mounted as {existing.FsType}, not {fsType}";
        else if (NodeChecks.IsReadOnly(existing) != readOnly)
            conflict = $"it is mounted {(readOnly ? "read-write" : "read-only")}";
        else if (!mountOptions.AreSetOn(existing))
            conflict = "it is mounted with other mount flags";
        if (conflict is not null)
            throw StorageException.AlreadyExists($"volume {volume.Id} is already staged at {staging} but {conflict}");
    }
}
