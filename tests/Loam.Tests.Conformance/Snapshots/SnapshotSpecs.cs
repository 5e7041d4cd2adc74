using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>csi-sanity "CreateSnapshot", "DeleteSnapshot" and GetSnapshot, plus each error code the spec lists.</summary>
public sealed class SnapshotSpecs(SanityDriver driver) : SanityTest(driver)
{
    private async Task<Snapshot> MustCreateSnapshot(string name, string volumeId)
    {
        var snapshot = (await Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = name, SourceVolumeId = volumeId })).Snapshot;
        TrackSnapshot(snapshot.SnapshotId);
        return snapshot;
    }

    [Fact]
    public async Task ControllerGetCapabilities_offers_snapshots_clones_and_modify()
    {
        var types = (await Csi.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest())).Capabilities.Select(c => c.Rpc.Type).ToList();

        Assert.Contains(ControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteSnapshot, types);
        Assert.Contains(ControllerServiceCapability.Types.RPC.Types.Type.ListSnapshots, types);
        Assert.Contains(ControllerServiceCapability.Types.RPC.Types.Type.GetSnapshot, types);
        Assert.Contains(ControllerServiceCapability.Types.RPC.Types.Type.CloneVolume, types);
        Assert.Contains(ControllerServiceCapability.Types.RPC.Types.Type.ModifyVolume, types);
    }

    [Fact]
    public async Task CreateSnapshot_fails_when_no_name_is_provided()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-noname")));

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { SourceVolumeId = volume.VolumeId }));
        Assert.Contains("name", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshot_fails_when_no_source_volume_id_is_provided()
    {
        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = UniqueName("snap") }));
        Assert.Contains("source_volume_id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshot_of_a_missing_volume_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.CreateSnapshotAsync(
            new CreateSnapshotRequest { Name = UniqueName("snap"), SourceVolumeId = "vol-00000000000000000000000000000000" }));

    [Fact]
    public async Task CreateSnapshot_refuses_parameters_it_does_not_know()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-param")));
        var request = new CreateSnapshotRequest { Name = UniqueName("snap"), SourceVolumeId = volume.VolumeId };
        request.Parameters.Add("speed", "fast");

        var message = await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.CreateSnapshotAsync(request));
        Assert.Contains("speed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshot_succeeds_again_with_the_same_name_and_source_and_returns_the_same_snapshot()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-idem")));
        var name = UniqueName("snap");

        var first = await MustCreateSnapshot(name, volume.VolumeId);
        var second = await MustCreateSnapshot(name, volume.VolumeId);

        Assert.Equal(first, second);
        Assert.True(first.ReadyToUse);
        Assert.Equal(volume.VolumeId, first.SourceVolumeId);
        Assert.Equal(volume.CapacityBytes, first.SizeBytes);
        Assert.NotNull(first.CreationTime);
        Assert.Empty(first.GroupSnapshotId);
    }

    [Fact]
    public async Task CreateSnapshot_fails_with_an_existing_name_and_another_source_volume()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-a")));
        var b = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-b")));
        var name = UniqueName("snap");
        await MustCreateSnapshot(name, a.VolumeId);

        await AssertFails(StatusCode.AlreadyExists, () => Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = name, SourceVolumeId = b.VolumeId }));
    }

    [Fact]
    public async Task CreateSnapshot_succeeds_with_a_maximum_length_name()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-long")));

        var snapshot = await MustCreateSnapshot(UniqueName("snap", 128), volume.VolumeId);

        Assert.True(snapshot.ReadyToUse);
    }

    [Fact]
    public async Task DeleteSnapshot_fails_when_no_snapshot_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest()));

    [Fact]
    public async Task DeleteSnapshot_succeeds_for_an_id_that_names_nothing()
    {
        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = "reallyfakesnapshotid" });
        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = "snap-00000000000000000000000000000000" });
    }

    [Fact]
    public async Task DeleteSnapshot_removes_the_snapshot_and_is_idempotent()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-del")));
        var snapshot = await MustCreateSnapshot(UniqueName("snap"), volume.VolumeId);

        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot.SnapshotId });
        await Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot.SnapshotId });

        await AssertFails(StatusCode.NotFound, () => Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = snapshot.SnapshotId }));
    }

    [Fact]
    public async Task A_snapshot_outlives_its_deleted_source_volume_and_still_restores()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-src")));
        var snapshot = await MustCreateSnapshot(UniqueName("snap"), volume.VolumeId);

        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        var restore = CreateVolumeRequest(UniqueName("restore"));
        restore.VolumeContentSource = new VolumeContentSource { Snapshot = new() { SnapshotId = snapshot.SnapshotId } };
        var restored = await MustCreateVolume(restore);

        Assert.Equal(snapshot.SnapshotId, (await Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = snapshot.SnapshotId })).Snapshot.SnapshotId);
        Assert.Equal(snapshot.SnapshotId, restored.ContentSource.Snapshot.SnapshotId);
    }

    [Fact]
    public async Task GetSnapshot_returns_the_snapshot_and_fails_for_missing_or_empty_ids()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("snap-get")));
        var snapshot = await MustCreateSnapshot(UniqueName("snap"), volume.VolumeId);

        var got = (await Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = snapshot.SnapshotId })).Snapshot;

        Assert.Equal(snapshot, got);
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest()));
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = "snap-00000000000000000000000000000000" }));
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = "not-a-loam-id" }));
    }
}
