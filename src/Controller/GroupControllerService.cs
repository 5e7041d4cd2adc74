using Csi.V1;
using Grpc.Core;
using Loam.Csi.Mapping;
using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Snapshots;
using RpcType = Csi.V1.GroupControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Controller;

/// <summary>
/// CSI GroupController: snapshots of several volumes at one instant. Each handler checks the
/// request, takes the group's lock and every member volume's (ABORTED when busy), and calls Storage.
/// </summary>
public sealed class GroupControllerService(GroupSnapshotMaker groups, OperationLocks locks) : GroupController.GroupControllerBase
{
    public override Task<GroupControllerGetCapabilitiesResponse> GroupControllerGetCapabilities(GroupControllerGetCapabilitiesRequest request, ServerCallContext context)
    {
        var response = new GroupControllerGetCapabilitiesResponse();
        response.Capabilities.Add(new GroupControllerServiceCapability
        {
            Rpc = new GroupControllerServiceCapability.Types.RPC { Type = RpcType.CreateDeleteGetVolumeGroupSnapshot },
        });
        return Task.FromResult(response);
    }

    public override Task<CreateVolumeGroupSnapshotResponse> CreateVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest request, ServerCallContext context)
    {
        var name = Require.Name(request.Name, "name");
        if (request.SourceVolumeIds.Count == 0)
            throw StorageException.InvalidArgument("source_volume_ids is required");
        for (var i = 0; i < request.SourceVolumeIds.Count; i++)
            Require.NotEmpty(request.SourceVolumeIds[i], $"source_volume_ids[{i}]");
        SnapshotMapping.ValidateParameters(request.Parameters, "parameters");
        // The members' own IDs too: their images exist before any record names them, and a start-up
        // sweep in another process must see them as in flight.
        var members = request.SourceVolumeIds.Select(v => GroupSnapshotMaker.MemberId(name, v).Value);
        using var _ = locks.AcquireAll([GroupSnapshotMaker.IdFor(name).Value, .. request.SourceVolumeIds, .. members],
            "CreateVolumeGroupSnapshot");
        var group = groups.Create(name, request.SourceVolumeIds);
        return Task.FromResult(new CreateVolumeGroupSnapshotResponse { GroupSnapshot = SnapshotMapping.ToCsi(group) });
    }

    public override Task<DeleteVolumeGroupSnapshotResponse> DeleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest request, ServerCallContext context)
    {
        var groupId = Require.NotEmpty(request.GroupSnapshotId, "group_snapshot_id");
        // An ID Loam never issued names nothing, and deleting nothing succeeds.
        if (ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var id))
        {
            using var _ = locks.Acquire(id.Value, "DeleteVolumeGroupSnapshot");
            groups.Delete(id, request.SnapshotIds);
        }
        return Task.FromResult(new DeleteVolumeGroupSnapshotResponse());
    }

    public override Task<GetVolumeGroupSnapshotResponse> GetVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest request, ServerCallContext context)
    {
        var groupId = Require.NotEmpty(request.GroupSnapshotId, "group_snapshot_id");
        var group = groups.Get(groupId, request.SnapshotIds);
        return Task.FromResult(new GetVolumeGroupSnapshotResponse { GroupSnapshot = SnapshotMapping.ToCsi(group) });
    }
}
