using Csi.V1;
using Grpc.Core;
using Loam.Client;
using static Loam.Tests.Chaos.Hostile.HostileValues;

namespace Loam.Tests.Chaos.Hostile;

/// <summary>One malformed call: which RPC, what was spoiled, how to send it, and whether only INVALID_ARGUMENT will do.</summary>
public sealed record HostileCall(string Rpc, string What, Func<CsiConnection, CallOptions, Task> Send, bool MustBeInvalidArgument = false);

/// <summary>
/// Builds malformed requests for every CSI RPC: each starts from a request that would work against
/// <see cref="HostileWorld"/>'s real volume and spoils one field with each hostile value, so the
/// driver's checks are reached one by one (a bad ID, then a bad path with a good ID, ...).
/// </summary>
public static class HostileRequests
{
    public static IEnumerable<HostileCall> All(HostileWorld w) =>
        Controller(w).Concat(Node(w)).Concat(Snapshots(w)).Concat(SnapshotMetadata()).Concat(Identity());

    private static IEnumerable<HostileCall> Identity()
    {
        yield return new("Probe", "empty", (c, o) => c.Identity.ProbeAsync(new(), o).ResponseAsync);
        yield return new("GetPluginInfo", "empty", (c, o) => c.Identity.GetPluginInfoAsync(new(), o).ResponseAsync);
    }

    private static IEnumerable<HostileCall> Controller(HostileWorld w)
    {
        CreateVolumeRequest Create()
        {
            var r = new CreateVolumeRequest { Name = "pvc-hostile", CapacityRange = new() { RequiredBytes = 16L << 20 } };
            r.VolumeCapabilities.Add(Mount());
            return r;
        }
        foreach (var name in Names)
            yield return Call("CreateVolume", $"name {Show(name)}", Create, r => r.Name = name, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);
        foreach (var capacity in Capacities)
            yield return Call("CreateVolume", $"capacity {capacity}", Create, r => r.CapacityRange = capacity, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);
        foreach (var (what, capability) in Capabilities())
            yield return Call("CreateVolume", what, Create, r => { r.VolumeCapabilities.Clear(); if (capability is not null) r.VolumeCapabilities.Add(capability); },
                (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync, capability is null);
        foreach (var (key, value) in new[] { ("pool", "../../x"), ("pool", "nope"), ("provisioning", "weird"), ("unknown", "x"), ("", ""), (Huge, "x"), ("pool", "default\0") })
            yield return Call("CreateVolume", $"parameter {Show(key)}={Show(value)}", Create, r => r.Parameters[key] = value, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync, true);
        foreach (var id in Ids)
        {
            yield return Call("CreateVolume", $"clone of {Show(id)}", Create, r => r.VolumeContentSource = new() { Volume = new() { VolumeId = id } }, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);
            yield return Call("CreateVolume", $"restore of {Show(id)}", Create, r => r.VolumeContentSource = new() { Snapshot = new() { SnapshotId = id } }, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);
        }
        yield return Call("CreateVolume", "topology garbage", Create, r => r.AccessibilityRequirements = new() { Requisite = { new Topology { Segments = { ["../x"] = "\0" } } } }, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);
        yield return Call("CreateVolume", "10k secrets", Create, r => { for (var i = 0; i < 10_000; i++) r.Secrets[$"k{i}"] = "v"; }, (c, r, o) => c.Controller.CreateVolumeAsync(r, o).ResponseAsync);

        foreach (var id in Ids)
        {
            yield return new("DeleteVolume", $"id {Show(id)}", (c, o) => c.Controller.DeleteVolumeAsync(new() { VolumeId = id }, o).ResponseAsync);
            yield return new("ControllerPublishVolume", $"id {Show(id)}", (c, o) => c.Controller.ControllerPublishVolumeAsync(new() { VolumeId = id, NodeId = w.NodeId, VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("ControllerPublishVolume", $"node {Show(id)}", (c, o) => c.Controller.ControllerPublishVolumeAsync(new() { VolumeId = w.VolumeId, NodeId = id, VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("ControllerUnpublishVolume", $"id {Show(id)}", (c, o) => c.Controller.ControllerUnpublishVolumeAsync(new() { VolumeId = id, NodeId = w.NodeId }, o).ResponseAsync);
            yield return new("ControllerUnpublishVolume", $"node {Show(id)}", (c, o) => c.Controller.ControllerUnpublishVolumeAsync(new() { VolumeId = w.VolumeId, NodeId = id }, o).ResponseAsync);
            yield return new("ValidateVolumeCapabilities", $"id {Show(id)}", (c, o) => c.Controller.ValidateVolumeCapabilitiesAsync(new() { VolumeId = id, VolumeCapabilities = { Mount() } }, o).ResponseAsync);
            yield return new("ControllerExpandVolume", $"id {Show(id)}", (c, o) => c.Controller.ControllerExpandVolumeAsync(new() { VolumeId = id, CapacityRange = new() { RequiredBytes = 32L << 20 } }, o).ResponseAsync);
            yield return new("ControllerGetVolume", $"id {Show(id)}", (c, o) => c.Controller.ControllerGetVolumeAsync(new() { VolumeId = id }, o).ResponseAsync);
            yield return new("ControllerModifyVolume", $"id {Show(id)}", (c, o) => c.Controller.ControllerModifyVolumeAsync(new() { VolumeId = id, MutableParameters = { ["provisioning"] = "thick" } }, o).ResponseAsync);
        }
        foreach (var (what, capability) in Capabilities())
        {
            yield return new("ControllerPublishVolume", what, (c, o) => c.Controller.ControllerPublishVolumeAsync(new() { VolumeId = w.VolumeId, NodeId = w.NodeId, VolumeCapability = capability }, o).ResponseAsync);
            yield return new("ValidateVolumeCapabilities", what, (c, o) => c.Controller.ValidateVolumeCapabilitiesAsync(new() { VolumeId = w.VolumeId, VolumeCapabilities = { capability ?? new() } }, o).ResponseAsync);
        }
        foreach (var capacity in Capacities)
            yield return new("ControllerExpandVolume", $"capacity {capacity}", (c, o) => c.Controller.ControllerExpandVolumeAsync(new() { VolumeId = w.VolumeId, CapacityRange = capacity }, o).ResponseAsync);
        foreach (var (key, value) in new[] { ("provisioning", "weird"), ("pool", "other"), ("unknown", "x"), (Huge, "") })
            yield return new("ControllerModifyVolume", $"parameter {Show(key)}={Show(value)}", (c, o) => c.Controller.ControllerModifyVolumeAsync(new() { VolumeId = w.VolumeId, MutableParameters = { [key] = value } }, o).ResponseAsync);
        foreach (var token in Tokens)
        {
            yield return new("ListVolumes", $"token {Show(token)}", (c, o) => c.Controller.ListVolumesAsync(new() { StartingToken = token }, o).ResponseAsync);
            yield return new("ListSnapshots", $"token {Show(token)}", (c, o) => c.Controller.ListSnapshotsAsync(new() { StartingToken = token }, o).ResponseAsync);
        }
        foreach (var max in MaxEntries)
        {
            yield return new("ListVolumes", $"max_entries {max}", (c, o) => c.Controller.ListVolumesAsync(new() { MaxEntries = max }, o).ResponseAsync);
            yield return new("ListSnapshots", $"max_entries {max}", (c, o) => c.Controller.ListSnapshotsAsync(new() { MaxEntries = max }, o).ResponseAsync);
        }
        foreach (var (what, capability) in Capabilities())
            yield return new("GetCapacity", what, (c, o) => c.Controller.GetCapacityAsync(new() { VolumeCapabilities = { capability ?? new() } }, o).ResponseAsync);
        foreach (var (key, value) in new[] { ("pool", "../../"), ("pool", Huge), ("x", "y") })
            yield return new("GetCapacity", $"parameter {Show(key)}={Show(value)}", (c, o) => c.Controller.GetCapacityAsync(new() { Parameters = { [key] = value } }, o).ResponseAsync);
    }

    private static IEnumerable<HostileCall> Node(HostileWorld w)
    {
        foreach (var id in Ids)
        {
            yield return new("NodeStageVolume", $"id {Show(id)}", (c, o) => c.Node.NodeStageVolumeAsync(new() { VolumeId = id, StagingTargetPath = w.FreshStaging(), VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("NodeUnstageVolume", $"id {Show(id)}", (c, o) => c.Node.NodeUnstageVolumeAsync(new() { VolumeId = id, StagingTargetPath = w.StagingPath }, o).ResponseAsync);
            yield return new("NodePublishVolume", $"id {Show(id)}", (c, o) => c.Node.NodePublishVolumeAsync(new() { VolumeId = id, StagingTargetPath = w.StagingPath, TargetPath = w.FreshTarget(), VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("NodeUnpublishVolume", $"id {Show(id)}", (c, o) => c.Node.NodeUnpublishVolumeAsync(new() { VolumeId = id, TargetPath = w.FreshTarget() }, o).ResponseAsync);
            yield return new("NodeGetVolumeStats", $"id {Show(id)}", (c, o) => c.Node.NodeGetVolumeStatsAsync(new() { VolumeId = id, VolumePath = w.StagingPath }, o).ResponseAsync);
            yield return new("NodeExpandVolume", $"id {Show(id)}", (c, o) => c.Node.NodeExpandVolumeAsync(new() { VolumeId = id, VolumePath = w.StagingPath }, o).ResponseAsync);
        }
        foreach (var path in w.HostilePaths)
        {
            var shown = Show(path);
            yield return new("NodeStageVolume", $"staging {shown}", (c, o) => c.Node.NodeStageVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = path, VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("NodeUnstageVolume", $"staging {shown}", (c, o) => c.Node.NodeUnstageVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = path }, o).ResponseAsync);
            yield return new("NodePublishVolume", $"target {shown}", (c, o) => c.Node.NodePublishVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = w.StagingPath, TargetPath = path, VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("NodePublishVolume", $"staging {shown}", (c, o) => c.Node.NodePublishVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = path, TargetPath = w.FreshTarget(), VolumeCapability = Mount() }, o).ResponseAsync);
            yield return new("NodeUnpublishVolume", $"target {shown}", (c, o) => c.Node.NodeUnpublishVolumeAsync(new() { VolumeId = w.VolumeId, TargetPath = path }, o).ResponseAsync);
            yield return new("NodeGetVolumeStats", $"path {shown}", (c, o) => c.Node.NodeGetVolumeStatsAsync(new() { VolumeId = w.VolumeId, VolumePath = path }, o).ResponseAsync);
            yield return new("NodeExpandVolume", $"path {shown}", (c, o) => c.Node.NodeExpandVolumeAsync(new() { VolumeId = w.VolumeId, VolumePath = path }, o).ResponseAsync);
        }
        foreach (var (what, capability) in Capabilities())
        {
            var dangerous = DangerousMountFlags.Any(f => what == $"mount flag {Show(f)}");
            yield return new("NodeStageVolume", what, (c, o) => c.Node.NodeStageVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = w.FreshStaging(), VolumeCapability = capability }, o).ResponseAsync, dangerous);
            yield return new("NodePublishVolume", what, (c, o) => c.Node.NodePublishVolumeAsync(new() { VolumeId = w.VolumeId, StagingTargetPath = w.StagingPath, TargetPath = w.FreshTarget(), VolumeCapability = capability }, o).ResponseAsync, dangerous);
        }
        foreach (var capacity in Capacities)
            yield return new("NodeExpandVolume", $"capacity {capacity}", (c, o) => c.Node.NodeExpandVolumeAsync(new() { VolumeId = w.VolumeId, VolumePath = w.StagingPath, CapacityRange = capacity }, o).ResponseAsync);
        yield return new("NodeGetInfo", "empty", (c, o) => c.Node.NodeGetInfoAsync(new(), o).ResponseAsync);
        yield return new("NodeGetCapabilities", "empty", (c, o) => c.Node.NodeGetCapabilitiesAsync(new(), o).ResponseAsync);
    }

    private static IEnumerable<HostileCall> Snapshots(HostileWorld w)
    {
        foreach (var name in Names)
            yield return new("CreateSnapshot", $"name {Show(name)}", (c, o) => c.Controller.CreateSnapshotAsync(new() { Name = name, SourceVolumeId = w.VolumeId }, o).ResponseAsync);
        foreach (var id in Ids)
        {
            yield return new("CreateSnapshot", $"source {Show(id)}", (c, o) => c.Controller.CreateSnapshotAsync(new() { Name = "snap-hostile", SourceVolumeId = id }, o).ResponseAsync);
            yield return new("DeleteSnapshot", $"id {Show(id)}", (c, o) => c.Controller.DeleteSnapshotAsync(new() { SnapshotId = id }, o).ResponseAsync);
            yield return new("ListSnapshots", $"snapshot {Show(id)}", (c, o) => c.Controller.ListSnapshotsAsync(new() { SnapshotId = id }, o).ResponseAsync);
            yield return new("ListSnapshots", $"source {Show(id)}", (c, o) => c.Controller.ListSnapshotsAsync(new() { SourceVolumeId = id }, o).ResponseAsync);
            yield return new("CreateVolumeGroupSnapshot", $"source {Show(id)}", (c, o) => c.GroupController.CreateVolumeGroupSnapshotAsync(new() { Name = "group-hostile", SourceVolumeIds = { id } }, o).ResponseAsync);
            yield return new("DeleteVolumeGroupSnapshot", $"id {Show(id)}", (c, o) => c.GroupController.DeleteVolumeGroupSnapshotAsync(new() { GroupSnapshotId = id, SnapshotIds = { id } }, o).ResponseAsync);
            yield return new("GetVolumeGroupSnapshot", $"id {Show(id)}", (c, o) => c.GroupController.GetVolumeGroupSnapshotAsync(new() { GroupSnapshotId = id }, o).ResponseAsync);
        }
    }

    /// <summary>SnapshotMetadata streams its answer: read the stream to the end so a failure surfaces.</summary>
    private static IEnumerable<HostileCall> SnapshotMetadata()
    {
        static async Task Drain<T>(AsyncServerStreamingCall<T> call)
        {
            using (call)
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }
        }
        foreach (var id in Ids)
        {
            yield return new("GetMetadataAllocated", $"snapshot {Show(id)}", (c, o) => Drain(c.SnapshotMetadata.GetMetadataAllocated(new() { SnapshotId = id }, o)));
            yield return new("GetMetadataDelta", $"snapshots {Show(id)}", (c, o) => Drain(c.SnapshotMetadata.GetMetadataDelta(new() { BaseSnapshotId = id, TargetSnapshotId = id }, o)));
        }
        foreach (var (offset, max) in new[] { (-1L, 0), (long.MaxValue, 0), (0L, -1), (0L, int.MaxValue), (long.MinValue, int.MinValue) })
            yield return new("GetMetadataAllocated", $"offset {offset} max {max}", (c, o) => Drain(c.SnapshotMetadata.GetMetadataAllocated(
                new() { SnapshotId = "snap-00000000000000000000000000000000", StartingOffset = offset, MaxResults = max }, o)));
    }

    private static HostileCall Call<T>(string rpc, string what, Func<T> make, Action<T> spoil, Func<CsiConnection, T, CallOptions, Task> send, bool mustBeInvalid = false) =>
        new(rpc, what, (c, o) =>
        {
            var request = make();
            spoil(request);
            return send(c, request, o);
        }, mustBeInvalid);
}
