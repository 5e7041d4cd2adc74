using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Controller;

/// <summary>csi-sanity "DeleteVolume" and "ValidateVolumeCapabilities", plus ControllerGetVolume.</summary>
public sealed class DeleteAndValidateSpecs(SanityDriver driver) : SanityTest(driver)
{
    [Fact]
    public async Task DeleteVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest()));

    [Fact]
    public async Task DeleteVolume_succeeds_when_an_invalid_volume_id_is_used() =>
        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = "reallyfakevolumeid" });

    [Fact]
    public async Task DeleteVolume_returns_appropriate_values_and_is_idempotent()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("delete")));

        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });

        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId }));
    }

    [Fact]
    public async Task DeleteVolume_of_a_volume_attached_to_another_node_fails_the_precondition()
    {
        Driver.RegisterNode("other-node");
        var request = CreateVolumeRequest(UniqueName("attached"));
        request.Parameters.Add("pool", SanityDriver.SharedPool);
        var volume = await MustCreateVolume(request);
        await Csi.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = "other-node", VolumeCapability = MountCapability() });
        TrackControllerPublish(volume.VolumeId, "other-node");

        var message = await AssertFails(StatusCode.FailedPrecondition, () => Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId }));
        Assert.Contains("other-node", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteVolume_releases_an_attachment_to_this_node_where_nothing_is_staged_or_published()
    {
        // What Swarm leaves after a dockerd restart: it skips ControllerUnpublishVolume.
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("stale-attachment")));
        await Csi.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = SanityDriver.NodeId, VolumeCapability = MountCapability() });

        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });

        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId }));
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_fails_when_no_volume_id_is_provided()
    {
        var request = new ValidateVolumeCapabilitiesRequest();
        request.VolumeCapabilities.Add(MountCapability());

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ValidateVolumeCapabilitiesAsync(request));
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_fails_when_no_volume_capabilities_are_provided()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("validate-nocaps")));

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ValidateVolumeCapabilitiesAsync(new ValidateVolumeCapabilitiesRequest { VolumeId = volume.VolumeId }));
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_returns_appropriate_values()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("validate")));
        var request = new ValidateVolumeCapabilitiesRequest { VolumeId = volume.VolumeId };
        request.VolumeCapabilities.Add(MountCapability());

        var response = await Csi.Controller.ValidateVolumeCapabilitiesAsync(request);

        Assert.NotNull(response.Confirmed);
        Assert.NotEmpty(response.Confirmed.VolumeCapabilities);
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_fails_when_the_volume_does_not_exist()
    {
        var request = new ValidateVolumeCapabilitiesRequest { VolumeId = "vol-00000000000000000000000000000000" };
        request.VolumeCapabilities.Add(MountCapability());

        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ValidateVolumeCapabilitiesAsync(request));
    }

    [Fact]
    public async Task ValidateVolumeCapabilities_refuses_to_confirm_a_multi_node_writer_on_a_local_pool()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("validate-multi")));
        var request = new ValidateVolumeCapabilitiesRequest { VolumeId = volume.VolumeId };
        request.VolumeCapabilities.Add(MountCapability(VolumeCapability.Types.AccessMode.Types.Mode.MultiNodeMultiWriter));

        var response = await Csi.Controller.ValidateVolumeCapabilitiesAsync(request);

        Assert.Null(response.Confirmed);
        Assert.NotEmpty(response.Message);
    }

    [Fact]
    public async Task ControllerGetVolume_reports_the_volume_and_its_health_or_not_found()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("get")));

        var got = await Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId });

        Assert.Equal(volume.CapacityBytes, got.Volume.CapacityBytes);
        Assert.False(got.Status.VolumeCondition.Abnormal);
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest()));
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = "some-vol-id" }));
    }
}
