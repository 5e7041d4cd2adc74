using Csi.V1;
using Grpc.Core;

namespace Loam.Client;

/// <summary>
/// The calls a human or a script makes against any CSI endpoint, one method per verb, with the
/// paging and capability checks a CO would do. gRPC failures surface as <see cref="RpcException"/>.
/// </summary>
public sealed class CsiClient(CsiConnection connection)
{
    public CsiConnection Connection { get; } = connection;

    public static CsiClient Open(string endpoint) => new(CsiConnection.Open(endpoint));

    public async Task<PluginReport> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var info = await Connection.Identity.GetPluginInfoAsync(new GetPluginInfoRequest(), cancellationToken: cancellationToken);
        var probe = await Connection.Identity.ProbeAsync(new ProbeRequest(), cancellationToken: cancellationToken);
        var plugin = await Connection.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest(), cancellationToken: cancellationToken);
        var pluginNames = plugin.Capabilities.Select(c => c.TypeCase switch
        {
            PluginCapability.TypeOneofCase.Service => CsiNames.Of(c.Service.Type),
            PluginCapability.TypeOneofCase.VolumeExpansion => "VOLUME_EXPANSION_" + CsiNames.Of(c.VolumeExpansion.Type),
            _ => c.TypeCase.ToString(),
        }).ToList();
        var controller = await OptionalAsync(async () =>
            (await Connection.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest(), cancellationToken: cancellationToken))
                .Capabilities.Select(c => CsiNames.Of(c.Rpc.Type)).ToList());
        var node = await OptionalAsync(async () =>
            (await Connection.Node.NodeGetCapabilitiesAsync(new NodeGetCapabilitiesRequest(), cancellationToken: cancellationToken))
                .Capabilities.Select(c => CsiNames.Of(c.Rpc.Type)).ToList());
        var group = await OptionalAsync(async () =>
            (await Connection.GroupController.GroupControllerGetCapabilitiesAsync(new GroupControllerGetCapabilitiesRequest(), cancellationToken: cancellationToken))
                .Capabilities.Select(c => CsiNames.Of(c.Rpc.Type)).ToList());
        return new PluginReport(info.Name, info.VendorVersion, probe.Ready ?? true,
            new Dictionary<string, string>(info.Manifest), pluginNames, controller, node, group);
    }

    public async Task<Volume> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken = default) =>
        (await Connection.Controller.CreateVolumeAsync(spec.ToRequest(), cancellationToken: cancellationToken)).Volume;

    public async Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken = default) =>
        await Connection.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, cancellationToken: cancellationToken);

    /// <summary>Every volume, following next_token to the end.</summary>
    public async Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<VolumeInfo>();
        var token = "";
        do
        {
            var page = await Connection.Controller.ListVolumesAsync(new ListVolumesRequest { StartingToken = token }, cancellationToken: cancellationToken);
            entries.AddRange(page.Entries.Select(e => new VolumeInfo(e.Volume, [.. e.Status?.PublishedNodeIds ?? []], e.Status?.VolumeCondition)));
            token = page.NextToken;
        }
        while (token.Length > 0);
        return entries;
    }

    /// <summary>
    /// One volume: ControllerGetVolume where the controller offers GET_VOLUME, else a search of
    /// ListVolumes. NOT_FOUND when it does not exist.
    /// </summary>
    public async Task<VolumeInfo> GetVolumeAsync(string volumeId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Connection.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volumeId }, cancellationToken: cancellationToken);
            return new VolumeInfo(response.Volume, [.. response.Status?.PublishedNodeIds ?? []], response.Status?.VolumeCondition);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return (await ListVolumesAsync(cancellationToken)).FirstOrDefault(v => v.Volume.VolumeId == volumeId)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"volume {volumeId} is not in ListVolumes"));
        }
    }

    /// <summary>Grows a volume to at least <paramref name="sizeBytes"/>; returns the new capacity and whether the node must expand too.</summary>
    public async Task<ControllerExpandVolumeResponse> ExpandVolumeAsync(string volumeId, long sizeBytes, VolumeCapability? capability = null, CancellationToken cancellationToken = default)
    {
        var request = new ControllerExpandVolumeRequest { VolumeId = volumeId, CapacityRange = new() { RequiredBytes = sizeBytes } };
        if (capability is not null)
            request.VolumeCapability = capability;
        return await Connection.Controller.ControllerExpandVolumeAsync(request, cancellationToken: cancellationToken);
    }

    public async Task<Snapshot> CreateSnapshotAsync(string name, string sourceVolumeId, CancellationToken cancellationToken = default) =>
        (await Connection.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = name, SourceVolumeId = sourceVolumeId }, cancellationToken: cancellationToken)).Snapshot;

    public async Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default) =>
        await Connection.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken: cancellationToken);

    /// <summary>Every snapshot, following next_token to the end.</summary>
    public async Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(CancellationToken cancellationToken = default)
    {
        var snapshots = new List<Snapshot>();
        var token = "";
        do
        {
            var page = await Connection.Controller.ListSnapshotsAsync(new ListSnapshotsRequest { StartingToken = token }, cancellationToken: cancellationToken);
            snapshots.AddRange(page.Entries.Select(e => e.Snapshot));
            token = page.NextToken;
        }
        while (token.Length > 0);
        return snapshots;
    }

    public async Task<NodeGetVolumeStatsResponse> VolumeStatsAsync(string volumeId, string volumePath, string? stagingPath = null, CancellationToken cancellationToken = default) =>
        await Connection.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volumeId, VolumePath = volumePath, StagingTargetPath = stagingPath ?? "" }, cancellationToken: cancellationToken);

    /// <summary>A capability list of a service the endpoint may not serve: empty when it does not.</summary>
    private static async Task<IReadOnlyList<string>> OptionalAsync(Func<Task<List<string>>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return [];
        }
    }
}
