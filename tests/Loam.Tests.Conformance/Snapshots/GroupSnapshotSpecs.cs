using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>csi-sanity "GroupController Service", plus the spec's group snapshot errors and idempotency.</summary>
public sealed class GroupSnapshotSpecs(SanityDriver driver) : SanityTest(driver)
{
    private readonly List<string> _groups = [];

    public override async Task DisposeAsync()
    {
        foreach (var id in _groups)
        {
            try
            {
                await Csi.GroupController.DeleteVolumeGroupSnapshotAsync(new DeleteVolumeGroupSnapshotRequest { GroupSnapshotId = id });
            }
            catch (RpcException)
            {
                // already gone
            }
        }
        await base.DisposeAsync();
    }

    private async Task<VolumeGroupSnapshot> MustCreateGroup(string name, params string[] volumeIds)
    {
        var request = new CreateVolumeGroupSnapshotRequest { Name = name };
        request.SourceVolumeIds.Add(volumeIds);
        var group = (await Csi.GroupController.CreateVolumeGroupSnapshotAsync(request)).GroupSnapshot;
        _groups.Add(group.GroupSnapshotId);
        return group;
    }

    [Fact]
    public async Task GroupControllerGetCapabilities_offers_create_delete_get()
    {
        var response = await Csi.GroupController.GroupControllerGetCapabilitiesAsync(new GroupControllerGetCapabilitiesRequest());

        Assert.Equal(GroupControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteGetVolumeGroupSnapshot, Assert.Single(response.Capabilities).Rpc.Type);
    }

    [Fact]
    public async Task Identity_offers_the_group_controller_service()
    {
        var capabilities = await Csi.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());

        Assert.Contains(capabilities.Capabilities, c => c.Service?.Type == PluginCapability.Types.Service.Types.Type.GroupControllerService);
    }

    [Fact]
    public async Task CreateVolumeGroupSnapshot_fails_when_no_name_is_provided()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-noname")));
        var request = new CreateVolumeGroupSnapshotRequest();
        request.SourceVolumeIds.Add(volume.VolumeId);

        await AssertFails(StatusCode.InvalidArgument, () => Csi.GroupController.CreateVolumeGroupSnapshotAsync(request));
    }

    [Fact]
    public async Task CreateVolumeGroupSnapshot_fails_without_source_volumes_and_for_a_missing_one()
    {
        await AssertFails(StatusCode.InvalidArgument, () => Csi.GroupController.CreateVolumeGroupSnapshotAsync(new CreateVolumeGroupSnapshotRequest { Name = UniqueName("group") }));
        var request = new CreateVolumeGroupSnapshotRequest { Name = UniqueName("group") };
        request.SourceVolumeIds.Add("vol-00000000000000000000000000000000");
        await AssertFails(StatusCode.NotFound, () => Csi.GroupController.CreateVolumeGroupSnapshotAsync(request));
    }

    [Fact]
    public async Task CreateVolumeGroupSnapshot_cuts_one_ready_snapshot_per_volume_and_repeats_idempotently()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-a")));
        var b = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-b")));
        var name = UniqueName("group");

        var group = await MustCreateGroup(name, a.VolumeId, b.VolumeId);
        var again = await MustCreateGroup(name, b.VolumeId, a.VolumeId);

        Assert.Equal(group, again);
        Assert.True(group.ReadyToUse);
        Assert.Equal(new[] { a.VolumeId, b.VolumeId }.Order(), group.Snapshots.Select(s => s.SourceVolumeId).Order());
        Assert.All(group.Snapshots, s => Assert.Equal(group.GroupSnapshotId, s.GroupSnapshotId));
        var member = (await Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = group.Snapshots[0].SnapshotId })).Snapshot;
        Assert.Equal(group.GroupSnapshotId, member.GroupSnapshotId);
    }

    [Fact]
    public async Task CreateVolumeGroupSnapshot_with_an_existing_name_and_other_volumes_already_exists()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-a")));
        var b = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-b")));
        var name = UniqueName("group");
        await MustCreateGroup(name, a.VolumeId);
        var request = new CreateVolumeGroupSnapshotRequest { Name = name };
        request.SourceVolumeIds.Add([a.VolumeId, b.VolumeId]);

        await AssertFails(StatusCode.AlreadyExists, () => Csi.GroupController.CreateVolumeGroupSnapshotAsync(request));
    }

    [Fact]
    public async Task A_member_cannot_be_deleted_alone_but_restores_like_any_snapshot()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-a")));
        var group = await MustCreateGroup(UniqueName("group"), a.VolumeId);
        var member = group.Snapshots[0].SnapshotId;

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = member }));
        var restore = CreateVolumeRequest(UniqueName("group-restore"));
        restore.VolumeContentSource = new VolumeContentSource { Snapshot = new() { SnapshotId = member } };
        var restored = await MustCreateVolume(restore);
        Assert.Equal(member, restored.ContentSource.Snapshot.SnapshotId);
    }

    [Fact]
    public async Task DeleteVolumeGroupSnapshot_fails_without_an_id_and_succeeds_for_an_id_that_names_nothing()
    {
        await AssertFails(StatusCode.InvalidArgument, () => Csi.GroupController.DeleteVolumeGroupSnapshotAsync(new DeleteVolumeGroupSnapshotRequest()));
        await Csi.GroupController.DeleteVolumeGroupSnapshotAsync(new DeleteVolumeGroupSnapshotRequest { GroupSnapshotId = "reallyfakegroupid" });
        await Csi.GroupController.DeleteVolumeGroupSnapshotAsync(new DeleteVolumeGroupSnapshotRequest { GroupSnapshotId = "group-00000000000000000000000000000000" });
    }

    [Fact]
    public async Task DeleteVolumeGroupSnapshot_removes_the_group_and_its_members_and_refuses_a_wrong_member_list()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-a")));
        var b = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-b")));
        var group = await MustCreateGroup(UniqueName("group"), a.VolumeId, b.VolumeId);
        var wrong = new DeleteVolumeGroupSnapshotRequest { GroupSnapshotId = group.GroupSnapshotId };
        wrong.SnapshotIds.Add(group.Snapshots[0].SnapshotId);
        var right = new DeleteVolumeGroupSnapshotRequest { GroupSnapshotId = group.GroupSnapshotId };
        right.SnapshotIds.Add(group.Snapshots.Select(s => s.SnapshotId));

        await AssertFails(StatusCode.InvalidArgument, () => Csi.GroupController.DeleteVolumeGroupSnapshotAsync(wrong));
        await Csi.GroupController.DeleteVolumeGroupSnapshotAsync(right);
        await Csi.GroupController.DeleteVolumeGroupSnapshotAsync(right);

        await AssertFails(StatusCode.NotFound, () => Csi.GroupController.GetVolumeGroupSnapshotAsync(new GetVolumeGroupSnapshotRequest { GroupSnapshotId = group.GroupSnapshotId }));
        foreach (var member in group.Snapshots)
            await AssertFails(StatusCode.NotFound, () => Csi.Controller.GetSnapshotAsync(new GetSnapshotRequest { SnapshotId = member.SnapshotId }));
    }

    [Fact]
    public async Task GetVolumeGroupSnapshot_returns_the_group_and_fails_for_missing_or_empty_ids()
    {
        var a = await MustCreateVolume(CreateVolumeRequest(UniqueName("group-a")));
        var group = await MustCreateGroup(UniqueName("group"), a.VolumeId);

        var got = (await Csi.GroupController.GetVolumeGroupSnapshotAsync(new GetVolumeGroupSnapshotRequest { GroupSnapshotId = group.GroupSnapshotId })).GroupSnapshot;

        Assert.Equal(group, got);
        await AssertFails(StatusCode.InvalidArgument, () => Csi.GroupController.GetVolumeGroupSnapshotAsync(new GetVolumeGroupSnapshotRequest()));
        await AssertFails(StatusCode.NotFound, () => Csi.GroupController.GetVolumeGroupSnapshotAsync(new GetVolumeGroupSnapshotRequest { GroupSnapshotId = "reallyfakegroupid" }));
    }
}
