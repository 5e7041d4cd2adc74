using Csi.V1;
using Google.Protobuf.Collections;
using Mono.Unix.Native;

namespace Loam.Tests.Chaos.Harness;

/// <summary>
/// One volume as the CO drives it through its life: create, attach, stage, publish, expand,
/// unpublish, unstage, detach, delete. Each step is retried by the <see cref="CoClient"/> until it
/// gets a final answer; a final error propagates as an RpcException.
/// </summary>
public sealed class CoVolume(ChaosBed bed, CoClient co, string name, string fsType = "ext4",
    VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter)
{
    private MapField<string, string> _publishContext = [];

    public string Name { get; } = name;
    public string Id { get; private set; } = "";
    public long CapacityBytes { get; private set; }
    public VolumeCapability Capability { get; } = ChaosBed.MountCapability(fsType, mode);
    public string FsType { get; } = fsType;

    /// <summary>Online growth of ext4 needs CAP_SYS_RESOURCE, which some sandboxes drop; xfs needs only CAP_SYS_ADMIN.</summary>
    public bool CanGrowOnline => FsType == "xfs" || ProcessCapabilities.Has(ProcessCapabilities.SysResource);
    public string StagingPath => bed.StagingPath(Name);
    public string TargetPath => bed.TargetPath(Name);

    /// <summary>The SHA-256 of the pattern last written through the mount; null before the first write.</summary>
    public string? PatternSha { get; private set; }
    public int PatternVersion { get; private set; }

    public async Task CreateAsync(long requiredBytes, bool thick)
    {
        var request = new CreateVolumeRequest { Name = Name, CapacityRange = new() { RequiredBytes = requiredBytes } };
        request.VolumeCapabilities.Add(Capability);
        if (thick)
            request.Parameters.Add("provisioning", "thick");
        var volume = (await co.Call("CreateVolume " + Name, (c, o) => c.Controller.CreateVolumeAsync(request, o))).Volume;
        Id = volume.VolumeId;
        CapacityBytes = volume.CapacityBytes;
    }

    /// <summary>
    /// Creates this volume as a copy: of <paramref name="source"/> (a clone) or of its snapshot
    /// <paramref name="snapshotId"/> (a restore). The copy must hold the pattern the source held
    /// then, <paramref name="expectedPatternSha"/>.
    /// </summary>
    public async Task CreateFromAsync(CoVolume source, string? snapshotId, string? expectedPatternSha)
    {
        var request = new CreateVolumeRequest { Name = Name, CapacityRange = new() { RequiredBytes = source.CapacityBytes } };
        request.VolumeCapabilities.Add(Capability);
        request.VolumeContentSource = snapshotId is null
            ? new VolumeContentSource { Volume = new() { VolumeId = source.Id } }
            : new VolumeContentSource { Snapshot = new() { SnapshotId = snapshotId } };
        var volume = (await co.Call("CreateVolume " + Name, (c, o) => c.Controller.CreateVolumeAsync(request, o))).Volume;
        Id = volume.VolumeId;
        CapacityBytes = volume.CapacityBytes;
        PatternSha = expectedPatternSha;
    }

    /// <summary>Takes a snapshot and waits until it is ready to use; returns its ID.</summary>
    public async Task<string> SnapshotAsync(string snapshotName)
    {
        var request = new CreateSnapshotRequest { Name = snapshotName, SourceVolumeId = Id };
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = (await co.Call("CreateSnapshot " + snapshotName, (c, o) => c.Controller.CreateSnapshotAsync(request, o))).Snapshot;
            if (snapshot.ReadyToUse || attempt == 600)
                return snapshot.SnapshotId;
            await Task.Delay(100);
        }
    }

    public async Task DeleteSnapshotAsync(string snapshotId) =>
        await co.Call("DeleteSnapshot " + snapshotId, (c, o) => c.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, o));

    public async Task AttachAsync()
    {
        var request = new ControllerPublishVolumeRequest { VolumeId = Id, NodeId = ChaosBed.NodeId, VolumeCapability = Capability };
        _publishContext = (await co.Call("ControllerPublishVolume " + Name, (c, o) => c.Controller.ControllerPublishVolumeAsync(request, o))).PublishContext;
    }

    public async Task StageAsync()
    {
        var request = new NodeStageVolumeRequest { VolumeId = Id, StagingTargetPath = StagingPath, VolumeCapability = Capability };
        request.PublishContext.Add(_publishContext);
        await co.Call("NodeStageVolume " + Name, (c, o) => c.Node.NodeStageVolumeAsync(request, o));
    }

    public async Task PublishAsync()
    {
        var request = new NodePublishVolumeRequest { VolumeId = Id, StagingTargetPath = StagingPath, TargetPath = TargetPath, VolumeCapability = Capability };
        request.PublishContext.Add(_publishContext);
        await co.Call("NodePublishVolume " + Name, (c, o) => c.Node.NodePublishVolumeAsync(request, o));
    }

    /// <summary>Attach, stage and publish: what kubelet does before a pod starts.</summary>
    public async Task BringUpAsync()
    {
        await AttachAsync();
        await StageAsync();
        await PublishAsync();
    }

    /// <summary>Unpublish, unstage and detach: what kubelet and the attacher do after the pod ends.</summary>
    public async Task TakeDownAsync()
    {
        await co.Call("NodeUnpublishVolume " + Name, (c, o) => c.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = Id, TargetPath = TargetPath }, o));
        await co.Call("NodeUnstageVolume " + Name, (c, o) => c.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = Id, StagingTargetPath = StagingPath }, o));
        await co.Call("ControllerUnpublishVolume " + Name, (c, o) => c.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = Id, NodeId = ChaosBed.NodeId }, o));
    }

    /// <summary>Grows the volume by <paramref name="bytes"/> while it is published, as an online PVC resize does.</summary>
    /// <returns>null when the filesystem seen through the target grew, else what is wrong.</returns>
    public async Task<string?> ExpandAsync(long bytes)
    {
        var before = FileSystemBytes(TargetPath);
        var request = new ControllerExpandVolumeRequest { VolumeId = Id, CapacityRange = new() { RequiredBytes = CapacityBytes + bytes }, VolumeCapability = Capability };
        var expanded = await co.Call("ControllerExpandVolume " + Name, (c, o) => c.Controller.ControllerExpandVolumeAsync(request, o));
        CapacityBytes = expanded.CapacityBytes;
        if (expanded.NodeExpansionRequired)
        {
            var nodeRequest = new NodeExpandVolumeRequest
            {
                VolumeId = Id, VolumePath = TargetPath, StagingTargetPath = StagingPath, CapacityRange = new() { RequiredBytes = CapacityBytes }, VolumeCapability = Capability,
            };
            await co.Call("NodeExpandVolume " + Name, (c, o) => c.Node.NodeExpandVolumeAsync(nodeRequest, o));
        }
        var after = FileSystemBytes(TargetPath);
        return after > before ? null : $"{Name}: filesystem is {after} bytes after expanding to {CapacityBytes}, was {before}";
    }

    public async Task DeleteAsync() =>
        await co.Call("DeleteVolume " + Name, (c, o) => c.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = Id }, o));

    public void WritePattern() => PatternSha = DataPattern.Write(TargetPath, Id, ++PatternVersion);

    /// <returns>null when the last pattern written is intact (or none was written yet), else what is wrong.</returns>
    public string? VerifyPattern() => PatternSha is null ? null : DataPattern.Verify(TargetPath, PatternSha) is { } problem ? $"{Name}: {problem}" : null;

    private static long FileSystemBytes(string path) =>
        Syscall.statvfs(path, out var stat) == 0 ? (long)(stat.f_blocks * stat.f_frsize) : -1;
}
