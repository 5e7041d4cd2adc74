using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Inline ephemeral volumes (volume_context "csi.storage.k8s.io/ephemeral": "true"): the CO
/// never creates, stages or deletes them, so NodePublishVolume creates the volume from its
/// attributes, attaches and formats it and mounts it straight at the target (it has exactly
/// one consumer, so no staging mount), and NodeUnpublishVolume removes all of it.
/// Attributes: size (e.g. 1Gi), fsType, pool, provisioning; the CO's own keys pass.
/// </summary>
public sealed class EphemeralVolumes(
    VolumeProvisioner provisioner,
    VolumeLocator locator,
    KernelVolumeViewReader reader,
    LoopAttacher attacher,
    VolumeMounting mounting,
    MountPoints mountPoints,
    IHostFiles files,
    PathPolicy paths,
    StorageOptions options,
    ILogger<EphemeralVolumes> logger)
{
    public const string ContextKey = "csi.storage.k8s.io/ephemeral";
    public const string SizeAttribute = "size";
    public const string FsTypeAttribute = "fsType";
    private const string CoPrefix = "csi.storage.k8s.io/";

    public static bool IsEphemeral(IReadOnlyDictionary<string, string> volumeContext) =>
        volumeContext.TryGetValue(ContextKey, out var value) && value == "true";

    public async Task PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var capability = request.Capability;
        if (capability.AccessType != AccessType.Mount)
            throw StorageException.InvalidArgument(
                "inline ephemeral volumes are filesystems: the capability must be a mount");
        var target = paths.Check(request.TargetPath, "target_path");
        var spec = ToSpec(request.VolumeId, capability, request.VolumeContext);
        var mountOptions = MountOptionPolicy.Parse(capability.MountFlags, spec.Capabilities[0].FsType!);
        var group = MountGroup.Parse(capability.MountGroup);

        var existed = locator.Find(request.VolumeId).Exists;
        var stored = provisioner.Create(spec);
        if (!stored.Record.Ephemeral)
            throw StorageException.AlreadyExists(
                $"volume ID {stored.Id} for ephemeral volume " +
                $"{request.VolumeId} belongs to a volume that is not ephemeral");
        var volume = locator.Get(request.VolumeId);
        NodeChecks.EnsureUsable(volume.Volume, capability, options.NodeId);
        if (!existed)
            NodeLog.Ephemeral(logger, request.VolumeId, volume.Id.Value, "created");

        var state = reader.Read(volume);
        if (state.TopAt(target) is { } existing)
        {
            if (state.LiveDeviceOf(existing) is not null && !mountPoints.IsCorrupt(target, out _))
            {
                if (NodeChecks.IsReadOnly(existing) != request.ReadOnly || !mountOptions.AreSetOn(existing))
                    throw StorageException.AlreadyExists(
                        $"ephemeral volume {request.VolumeId} is already published at {target} with other options");
                return;
            }
            if (state.DeviceOf(existing) is null)
                throw StorageException.AlreadyExists(
                    $"{target} already holds a mount of {existing.Source} ({existing.FsType})");
            mountPoints.Recover(target, "stale or corrupt mount of the ephemeral volume");
            state = reader.Read(volume);
        }

        // Nothing half-made stays behind, the volume included: the CO retries NodePublishVolume from scratch.
        var plan = new FileSystemMount("ephemeral NodePublishVolume", target, volume.Volume.Record.FsType, Insist: true,
            mountOptions, group, DeviceReadOnly: false, MountReadOnly: request.ReadOnly);
        await Rollback.RunAsync(logger, plan.Operation, volume.Id.Value, async rollback =>
        {
            rollback.OnFailure($"the ephemeral volume {volume.Id}", () => Remove(volume, target));
            return await mounting.MountAsync(state, plan, rollback, cancellationToken);
        });
    }

    /// <summary>Detaches and deletes an ephemeral volume whose target is already gone.</summary>
    public void Remove(NodeVolume volume, string? target = null)
    {
        var state = reader.Read(volume);
        if (target is not null && state.TopAt(target) is { } top && state.DeviceOf(top) is not null)
        {
            mountPoints.Unmount(target);
            state = reader.Read(volume);
        }
        if (target is not null)
            files.Remove(target);
        foreach (var device in state.Devices)
        {
            if (state.InUse(device))
                throw StorageException.FailedPrecondition(
                    $"ephemeral volume {volume.Id} is still mounted at {string.Join(", ", state.UsersOf(device))}");
            attacher.Detach(device);
        }
        provisioner.Delete(volume.Id);
        NodeLog.Ephemeral(logger, volume.Stored?.Record.Name ?? volume.Id.Value, volume.Id.Value, "deleted");
    }

    private CreateVolumeSpec ToSpec(
        string coVolumeId, VolumeCapabilitySpec capability, IReadOnlyDictionary<string, string> attributes)
    {
        var parameters = new Dictionary<string, string>();
        long size = 0;
        string? fsType = null;
        foreach (var (key, value) in attributes)
        {
            switch (key)
            {
                case SizeAttribute:
                    size = ByteSize.Parse(value, "volume attribute size");
                    break;
                case FsTypeAttribute:
                    fsType = value;
                    break;
                case VolumeParameters.Pool or VolumeParameters.ProvisioningKey:
                    parameters[key] = value;
                    break;
                default:
                    if (!key.StartsWith(CoPrefix, StringComparison.Ordinal))
                        throw StorageException.InvalidArgument(
                            $"volume attribute '{key}' is not supported for ephemeral volumes (supported: " +
                            $"{SizeAttribute}, {FsTypeAttribute}, {VolumeParameters.Pool}, " +
                            $"{VolumeParameters.ProvisioningKey})");
                    break;
            }
        }
        var resolved = FileSystemTypes.Resolve(capability.FsType ?? fsType, options.DefaultFsType);
        return new CreateVolumeSpec
        {
            Name = VolumeLocator.EphemeralName(coVolumeId),
            Capacity = new CapacityRange(size, 0),
            Capabilities = [capability with { FsType = resolved }],
            Parameters = parameters,
            Ephemeral = true,
        };
    }
}
