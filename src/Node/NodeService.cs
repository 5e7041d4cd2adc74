using Csi.V1;
using Grpc.Core;
using Loam.Csi.Mapping;
using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Volumes;
using CapacityRange = Loam.Storage.Volumes.CapacityRange;
using CsiNode = Csi.V1.Node;

namespace Loam.Node;

/// <summary>
/// CSI Node: each handler checks the request's fields, takes the volume's lock (ABORTED when
/// another call holds it, the controller's calls included), and hands the work to the
/// stager, publisher, expander or stats reader. Errors are mapped in one place, the call
/// interceptor.
/// </summary>
public sealed class NodeService(
    VolumeLocator locator,
    VolumeStager stager,
    VolumePublisher publisher,
    EphemeralVolumes ephemeral,
    NodeExpander expander,
    VolumeStatsReader stats,
    OperationLocks locks,
    StorageOptions options) : CsiNode.NodeBase
{
    public override async Task<NodeStageVolumeResponse> NodeStageVolume(NodeStageVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var staging = Require.NotEmpty(request.StagingTargetPath, "staging_target_path");
        var capability = CapabilityMapping.ToSpec(request.VolumeCapability, "volume_capability");
        // Without ControllerPublish (attach not required) there is no publish context: read-write unless the mode says otherwise.
        var readOnly = request.PublishContext.TryGetValue(NodeAttachments.ReadOnlyContextKey, out var ro) && ro == "true";
        using var _ = locks.Acquire(VolumeLocator.LockKey(volumeId), "NodeStageVolume");
        await stager.StageAsync(new StageRequest(volumeId, staging, capability, readOnly), context.CancellationToken);
        return new NodeStageVolumeResponse();
    }

    public override Task<NodeUnstageVolumeResponse> NodeUnstageVolume(NodeUnstageVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var staging = Require.NotEmpty(request.StagingTargetPath, "staging_target_path");
        using var _ = locks.Acquire(VolumeLocator.LockKey(volumeId), "NodeUnstageVolume");
        stager.Unstage(volumeId, staging);
        return Task.FromResult(new NodeUnstageVolumeResponse());
    }

    public override async Task<NodePublishVolumeResponse> NodePublishVolume(NodePublishVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var target = Require.NotEmpty(request.TargetPath, "target_path");
        var capability = CapabilityMapping.ToSpec(request.VolumeCapability, "volume_capability");
        var publish = new PublishRequest(volumeId, request.StagingTargetPath, target, capability, request.Readonly, new Dictionary<string, string>(request.VolumeContext));
        using var _ = locks.Acquire(VolumeLocator.LockKey(volumeId), "NodePublishVolume");
        if (EphemeralVolumes.IsEphemeral(publish.VolumeContext))
            await ephemeral.PublishAsync(publish, context.CancellationToken);
        else
            publisher.Publish(publish);
        return new NodePublishVolumeResponse();
    }

    public override Task<NodeUnpublishVolumeResponse> NodeUnpublishVolume(NodeUnpublishVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var target = Require.NotEmpty(request.TargetPath, "target_path");
        using var _ = locks.Acquire(VolumeLocator.LockKey(volumeId), "NodeUnpublishVolume");
        var volume = publisher.Unpublish(volumeId, target);
        if (volume.Ephemeral)
            ephemeral.Remove(volume);
        return Task.FromResult(new NodeUnpublishVolumeResponse());
    }

    public override Task<NodeGetVolumeStatsResponse> NodeGetVolumeStats(NodeGetVolumeStatsRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var path = Require.NotEmpty(request.VolumePath, "volume_path");
        var volume = locator.Get(volumeId);
        var result = stats.Read(volume, path);
        var response = new NodeGetVolumeStatsResponse
        {
            VolumeCondition = new VolumeCondition { Abnormal = result.Abnormal, Message = result.Condition },
        };
        if (result.TotalBytes is { } total)
        {
            var bytes = new VolumeUsage { Unit = VolumeUsage.Types.Unit.Bytes, Total = total };
            if (result.AvailableBytes is { } available)
                bytes.Available = available;
            if (result.UsedBytes is { } used)
                bytes.Used = used;
            response.Usage.Add(bytes);
        }
        if (result.TotalInodes is { } inodes)
            response.Usage.Add(new VolumeUsage { Unit = VolumeUsage.Types.Unit.Inodes, Total = inodes, Available = result.FreeInodes ?? 0, Used = result.UsedInodes ?? 0 });
        return Task.FromResult(response);
    }

    public override async Task<NodeExpandVolumeResponse> NodeExpandVolume(NodeExpandVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var path = Require.NotEmpty(request.VolumePath, "volume_path");
        if (request.VolumeCapability is not null)
            CapabilityMapping.ToSpec(request.VolumeCapability, "volume_capability");
        var range = new CapacityRange(request.CapacityRange?.RequiredBytes ?? 0, request.CapacityRange?.LimitBytes ?? 0);
        if (range.RequiredBytes < 0 || range.LimitBytes < 0)
            throw StorageException.InvalidArgument("capacity_range must not be negative");
        using var _ = locks.Acquire(VolumeLocator.LockKey(volumeId), "NodeExpandVolume");
        var volume = locator.Get(volumeId);
        var size = await expander.ExpandAsync(volume, path, range, context.CancellationToken);
        return new NodeExpandVolumeResponse { CapacityBytes = size };
    }

    public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new NodeGetInfoResponse
        {
            NodeId = options.NodeId,
            MaxVolumesPerNode = options.MaxVolumesPerNode,
            AccessibleTopology = TopologyMapping.ToCsi(NodeTopology.ForNode(options.NodeId)),
        });

    public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context) =>
        Task.FromResult(NodeCapabilities.Response());
}
