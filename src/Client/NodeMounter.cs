using Csi.V1;

namespace Loam.Client;

/// <summary>
/// Mounts a volume the way a CO does: ControllerPublish to this node when the controller
/// offers PUBLISH_UNPUBLISH_VOLUME, NodeStage to a staging folder when the node offers
/// STAGE_UNSTAGE_VOLUME, then NodePublish to the target; and the reverse. Each step is public
/// so the benchmark can time it alone.
/// </summary>
public sealed class NodeMounter(CsiClient client, PluginReport plugin)
{
    public const string PublishUnpublish = "PUBLISH_UNPUBLISH_VOLUME";
    public const string StageUnstage = "STAGE_UNSTAGE_VOLUME";
    /// <summary>The volume context key under which Loam names a volume's filesystem.</summary>
    public const string LoamFsTypeKey = "loam.csi.dev/fstype";

    private string? _nodeId;

    public bool Stages => plugin.HasNode(StageUnstage);

    /// <summary>Looks the volume up (for its volume context) and this node up (for its ID); no effect yet.</summary>
    public async Task<MountRecord> PlanAsync(string volumeId, string targetPath, string? stagingPath, bool readOnly, bool block, CancellationToken cancellationToken = default)
    {
        _nodeId ??= (await client.Connection.Node.NodeGetInfoAsync(new NodeGetInfoRequest(), cancellationToken: cancellationToken)).NodeId;
        var context = new Dictionary<string, string>();
        if (plugin.Controller.Count > 0)
            context = new Dictionary<string, string>((await client.GetVolumeAsync(volumeId, cancellationToken)).Volume.VolumeContext);
        return new MountRecord
        {
            VolumeId = volumeId,
            NodeId = _nodeId,
            TargetPath = targetPath,
            StagingPath = Stages ? stagingPath ?? throw new ArgumentException("the node stages volumes: a staging path is needed", nameof(stagingPath)) : null,
            Block = block,
            ReadOnly = readOnly,
            FsType = block ? "" : context.GetValueOrDefault(LoamFsTypeKey, ""),
            VolumeContext = context,
        };
    }

    /// <summary>Runs every step; if one fails, undoes the ones before it and rethrows.</summary>
    public async Task<MountRecord> MountAsync(MountRecord plan, CancellationToken cancellationToken = default)
    {
        var done = await ControllerPublishAsync(plan, cancellationToken);
        try
        {
            await StageAsync(done, cancellationToken);
            try
            {
                await PublishAsync(done, cancellationToken);
            }
            catch
            {
                await UnstageAsync(done, CancellationToken.None);
                throw;
            }
        }
        catch
        {
            await ControllerUnpublishAsync(done, CancellationToken.None);
            throw;
        }
        return done;
    }

    /// <summary>Undoes <see cref="MountAsync"/>: NodeUnpublish, NodeUnstage, ControllerUnpublish.</summary>
    public async Task UnmountAsync(MountRecord mount, CancellationToken cancellationToken = default)
    {
        await UnpublishAsync(mount, cancellationToken);
        await UnstageAsync(mount, cancellationToken);
        await ControllerUnpublishAsync(mount, cancellationToken);
    }

    public async Task<MountRecord> ControllerPublishAsync(MountRecord plan, CancellationToken cancellationToken = default)
    {
        if (!plugin.HasController(PublishUnpublish))
            return plan;
        var response = await client.Connection.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest
        {
            VolumeId = plan.VolumeId,
            NodeId = plan.NodeId,
            VolumeCapability = Capability(plan),
            Readonly = plan.ReadOnly,
            VolumeContext = { plan.VolumeContext },
        }, cancellationToken: cancellationToken);
        return plan with { ControllerPublished = true, PublishContext = new Dictionary<string, string>(response.PublishContext) };
    }

    public async Task StageAsync(MountRecord mount, CancellationToken cancellationToken = default)
    {
        if (mount.StagingPath is not { } staging)
            return;
        Directory.CreateDirectory(staging);
        await client.Connection.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest
        {
            VolumeId = mount.VolumeId,
            StagingTargetPath = staging,
            VolumeCapability = Capability(mount),
            PublishContext = { mount.PublishContext },
            VolumeContext = { mount.VolumeContext },
        }, cancellationToken: cancellationToken);
    }

    public async Task PublishAsync(MountRecord mount, CancellationToken cancellationToken = default)
    {
        if (Path.GetDirectoryName(mount.TargetPath) is { Length: > 0 } parent)
            Directory.CreateDirectory(parent);
        await client.Connection.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
        {
            VolumeId = mount.VolumeId,
            StagingTargetPath = mount.StagingPath ?? "",
            TargetPath = mount.TargetPath,
            VolumeCapability = Capability(mount),
            Readonly = mount.ReadOnly,
            PublishContext = { mount.PublishContext },
            VolumeContext = { mount.VolumeContext },
        }, cancellationToken: cancellationToken);
    }

    public async Task UnpublishAsync(MountRecord mount, CancellationToken cancellationToken = default) =>
        await client.Connection.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = mount.VolumeId, TargetPath = mount.TargetPath }, cancellationToken: cancellationToken);

    public async Task UnstageAsync(MountRecord mount, CancellationToken cancellationToken = default)
    {
        if (mount.StagingPath is not { } staging)
            return;
        await client.Connection.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = mount.VolumeId, StagingTargetPath = staging }, cancellationToken: cancellationToken);
        TryRemoveFolder(staging);
    }

    public async Task ControllerUnpublishAsync(MountRecord mount, CancellationToken cancellationToken = default)
    {
        if (!mount.ControllerPublished)
            return;
        await client.Connection.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = mount.VolumeId, NodeId = mount.NodeId }, cancellationToken: cancellationToken);
    }

    private static VolumeCapability Capability(MountRecord mount)
    {
        var capability = mount.Block ? VolumeCapabilities.Block() : VolumeCapabilities.Mount(mount.FsType);
        if (mount.ReadOnly)
            capability.AccessMode.Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly;
        return capability;
    }

    /// <summary>The staging folder is the client's own; an unmounted, empty one is removed.</summary>
    private static void TryRemoveFolder(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not empty or already gone: leave it.
        }
    }
}
