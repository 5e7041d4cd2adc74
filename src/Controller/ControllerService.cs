using Csi.V1;
using Grpc.Core;
using Loam.Csi.Mapping;
using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;
using CapacityRange = Loam.Storage.Volumes.CapacityRange;
using CsiCapacityRange = Csi.V1.CapacityRange;
using CsiController = Csi.V1.Controller;

namespace Loam.Controller;

/// <summary>
/// CSI Controller: each handler checks the request, takes the volume's lock (ABORTED when
/// another call holds it), calls Storage, and shapes the response. Errors are mapped in one
/// place, the call interceptor.
/// </summary>
public sealed class ControllerService(
    VolumeStore store,
    VolumeProvisioner provisioner,
    NodeAttachments attachments,
    LocalLeftovers leftovers,
    PoolCapacity capacity,
    VolumeHealth health,
    SnapshotStore snapshots,
    SnapshotMaker snapshotMaker,
    OperationLocks locks,
    StorageOptions options,
    ListedVolumes listed) : CsiController.ControllerBase
{
    public override Task<CreateVolumeResponse> CreateVolume(CreateVolumeRequest request, ServerCallContext context)
    {
        var name = Require.Name(request.Name, "name");
        var spec = new CreateVolumeSpec
        {
            Name = name,
            Capacity = ToRange(request.CapacityRange),
            Capabilities = CapabilityMapping.ToSpecs(request.VolumeCapabilities, "volume_capabilities"),
            Parameters = new Dictionary<string, string>(request.Parameters),
            MutableParameters = new Dictionary<string, string>(request.MutableParameters),
            Source = VolumeMapping.ToSource(request.VolumeContentSource),
            RequisiteTopology = TopologyMapping.Requisite(request.AccessibilityRequirements),
        };
        using var _ = locks.Acquire(VolumeProvisioner.IdFor(name).Value, "CreateVolume");
        var volume = provisioner.Create(spec);
        return Task.FromResult(new CreateVolumeResponse { Volume = VolumeMapping.ToCsi(volume) });
    }

    public override Task<DeleteVolumeResponse> DeleteVolume(DeleteVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        // An ID Loam never issued names nothing, and deleting nothing succeeds.
        if (ResourceId.TryParse(volumeId, ResourceKind.Volume, out var id))
        {
            using var _ = locks.Acquire(id.Value, "DeleteVolume");
            leftovers.BeforeDelete(id);
            provisioner.Delete(id);
        }
        return Task.FromResult(new DeleteVolumeResponse());
    }

    public override Task<ControllerPublishVolumeResponse> ControllerPublishVolume(ControllerPublishVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var nodeId = Require.NotEmpty(request.NodeId, "node_id");
        var capability = CapabilityMapping.ToSpec(request.VolumeCapability, "volume_capability");
        using var _ = locks.Acquire(volumeId, "ControllerPublishVolume");
        var publishContext = attachments.Publish(volumeId, nodeId, capability, request.Readonly);
        var response = new ControllerPublishVolumeResponse();
        response.PublishContext.SetAll(publishContext);
        return Task.FromResult(response);
    }

    public override Task<ControllerUnpublishVolumeResponse> ControllerUnpublishVolume(ControllerUnpublishVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        using var _ = locks.Acquire(volumeId, "ControllerUnpublishVolume");
        leftovers.BeforeUnpublish(volumeId, request.NodeId);
        attachments.Unpublish(volumeId, request.NodeId);
        return Task.FromResult(new ControllerUnpublishVolumeResponse());
    }

    public override Task<ValidateVolumeCapabilitiesResponse> ValidateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var capabilities = CapabilityMapping.ToSpecs(request.VolumeCapabilities, "volume_capabilities");
        var volume = store.Get(volumeId);

        var problem = capabilities.Select(c => AccessPolicy.WhyUnsupported(volume.Pool, c)).FirstOrDefault(p => p is not null);
        problem ??= Mismatch("parameters", request.Parameters, volume.Record.Parameters)
            ?? Mismatch("mutable_parameters", request.MutableParameters, volume.Record.MutableParameters);
        if (problem is not null)
            return Task.FromResult(new ValidateVolumeCapabilitiesResponse { Message = problem });

        var confirmed = new ValidateVolumeCapabilitiesResponse.Types.Confirmed();
        confirmed.VolumeCapabilities.Add(request.VolumeCapabilities);
        confirmed.VolumeContext.Add(request.VolumeContext);
        confirmed.Parameters.Add(request.Parameters);
        confirmed.MutableParameters.Add(request.MutableParameters);
        return Task.FromResult(new ValidateVolumeCapabilitiesResponse { Confirmed = confirmed });
    }

    public override Task<ListVolumesResponse> ListVolumes(ListVolumesRequest request, ServerCallContext context)
    {
        // Inline ephemeral volumes belong to one pod on one node; the CO never provisioned them.
        var page = Pagination.Take(store.Index.Entries(), v => v.Record.Id, ResourceKind.Volume,
            request.StartingToken, request.MaxEntries, v => v.Record.Ephemeral ? null : v);
        var response = new ListVolumesResponse { NextToken = page.NextToken };
        response.Entries.Add(page.Entries.Select(listed.Entry));
        return Task.FromResult(response);
    }

    public override Task<ControllerGetVolumeResponse> ControllerGetVolume(ControllerGetVolumeRequest request, ServerCallContext context)
    {
        var volume = store.Get(Require.NotEmpty(request.VolumeId, "volume_id"));
        var status = new ControllerGetVolumeResponse.Types.VolumeStatus { VolumeCondition = Condition(volume) };
        status.PublishedNodeIds.Add(volume.Record.Attachments.Select(a => a.NodeId));
        return Task.FromResult(new ControllerGetVolumeResponse { Volume = VolumeMapping.ToCsi(volume), Status = status });
    }

    public override Task<GetCapacityResponse> GetCapacity(GetCapacityRequest request, ServerCallContext context)
    {
        var parameters = new Dictionary<string, string>(request.Parameters);
        VolumeParameters.Validate(parameters, new Dictionary<string, string>());
        var pool = store.Pools.Select(parameters.GetValueOrDefault(VolumeParameters.Pool));
        var capabilities = request.VolumeCapabilities.Select((c, i) => CapabilityMapping.ToSpec(c, $"volume_capabilities[{i}]")).ToList();
        var mount = capabilities.FirstOrDefault(c => c.AccessType == AccessType.Mount);
        var minimum = mount is null ? FileSystemTypes.MinimumBlockBytes : FileSystemTypes.MinimumBytes(mount.FsType ?? options.DefaultFsType);

        var reachable = request.AccessibleTopology is null
            || NodeTopology.Satisfies(NodeTopology.NodeFor(pool, options.NodeId), [request.AccessibleTopology.Segments]);
        var supported = capabilities.All(c => AccessPolicy.WhyUnsupported(pool, c) is null);
        var available = reachable && supported ? capacity.Available(pool, VolumeParameters.Provisioning(parameters, new Dictionary<string, string>())) : 0;
        var maximum = options.MaxVolumeBytes > 0 ? Math.Min(available, options.MaxVolumeBytes) : available;
        return Task.FromResult(new GetCapacityResponse
        {
            AvailableCapacity = available,
            MaximumVolumeSize = maximum,
            MinimumVolumeSize = minimum,
        });
    }

    public override Task<ControllerGetCapabilitiesResponse> ControllerGetCapabilities(ControllerGetCapabilitiesRequest request, ServerCallContext context) =>
        Task.FromResult(ControllerCapabilities.Response(store.Pools));

    public override Task<ControllerExpandVolumeResponse> ControllerExpandVolume(ControllerExpandVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var range = ToRange(Require.Present(request.CapacityRange, "capacity_range"));
        using var _ = locks.Acquire(volumeId, "ControllerExpandVolume");
        var volume = store.Get(volumeId);
        if (request.VolumeCapability is not null)
            AccessPolicy.EnsureSupported(volume.Pool, [CapabilityMapping.ToSpec(request.VolumeCapability, "volume_capability")]);
        volume = provisioner.Expand(volume, range);
        // The loop device and the filesystem on the node grow at NodeExpandVolume.
        return Task.FromResult(new ControllerExpandVolumeResponse { CapacityBytes = volume.Record.CapacityBytes, NodeExpansionRequired = true });
    }

    public override Task<ControllerModifyVolumeResponse> ControllerModifyVolume(ControllerModifyVolumeRequest request, ServerCallContext context)
    {
        var volumeId = Require.NotEmpty(request.VolumeId, "volume_id");
        var mutable = new Dictionary<string, string>(request.MutableParameters);
        VolumeParameters.ValidateMutable(mutable);
        using var _ = locks.Acquire(volumeId, "ControllerModifyVolume");
        provisioner.Modify(store.Get(volumeId), mutable);
        return Task.FromResult(new ControllerModifyVolumeResponse());
    }

    public override Task<CreateSnapshotResponse> CreateSnapshot(CreateSnapshotRequest request, ServerCallContext context)
    {
        var name = Require.Name(request.Name, "name");
        var sourceVolumeId = Require.NotEmpty(request.SourceVolumeId, "source_volume_id");
        SnapshotMapping.ValidateParameters(request.Parameters, "parameters");
        // The source is locked too: a snapshot of a volume being deleted or grown would be torn.
        using var _ = locks.AcquireAll([SnapshotMaker.IdFor(name).Value, sourceVolumeId], "CreateSnapshot");
        var snapshot = snapshotMaker.Create(name, sourceVolumeId);
        return Task.FromResult(new CreateSnapshotResponse { Snapshot = SnapshotMapping.ToCsi(snapshot) });
    }

    public override Task<DeleteSnapshotResponse> DeleteSnapshot(DeleteSnapshotRequest request, ServerCallContext context)
    {
        var snapshotId = Require.NotEmpty(request.SnapshotId, "snapshot_id");
        // An ID Loam never issued names nothing, and deleting nothing succeeds.
        if (ResourceId.TryParse(snapshotId, ResourceKind.Snapshot, out var id))
        {
            using var _ = locks.Acquire(id.Value, "DeleteSnapshot");
            snapshotMaker.Delete(id);
        }
        return Task.FromResult(new DeleteSnapshotResponse());
    }

    public override Task<ListSnapshotsResponse> ListSnapshots(ListSnapshotsRequest request, ServerCallContext context)
    {
        IReadOnlyList<StoredSnapshot> listed = snapshots.Index.Entries();
        if (!string.IsNullOrEmpty(request.SnapshotId))
        {
            var one = ResourceId.TryParse(request.SnapshotId, ResourceKind.Snapshot, out var only) ? snapshots.Index.Get(only) : null;
            listed = one is null ? [] : [one];
        }
        var source = request.SourceVolumeId;
        var page = Pagination.Take(listed, s => s.Record.Id, ResourceKind.Snapshot,
            request.StartingToken, request.MaxEntries,
            s => string.IsNullOrEmpty(source) || s.Record.SourceVolumeId == source ? s : null);
        var response = new ListSnapshotsResponse { NextToken = page.NextToken };
        response.Entries.Add(page.Entries.Select(s => new ListSnapshotsResponse.Types.Entry { Snapshot = SnapshotMapping.ToCsi(s) }));
        return Task.FromResult(response);
    }

    public override Task<GetSnapshotResponse> GetSnapshot(GetSnapshotRequest request, ServerCallContext context)
    {
        var snapshot = snapshots.Get(Require.NotEmpty(request.SnapshotId, "snapshot_id"));
        return Task.FromResult(new GetSnapshotResponse { Snapshot = SnapshotMapping.ToCsi(snapshot) });
    }

    private VolumeCondition Condition(StoredVolume volume) =>
        health.Problem(volume) is { } problem
            ? new VolumeCondition { Abnormal = true, Message = problem }
            : new VolumeCondition { Abnormal = false, Message = "image present and whole" };

    private static CapacityRange ToRange(CsiCapacityRange? range) => new(range?.RequiredBytes ?? 0, range?.LimitBytes ?? 0);

    private static string? Mismatch(string field, IDictionary<string, string> requested, IReadOnlyDictionary<string, string> actual) =>
        requested.Count == 0 || requested.All(kv => actual.TryGetValue(kv.Key, out var v) && v == kv.Value)
            ? null
            : $"{field} differ from those the volume was created with";
}
