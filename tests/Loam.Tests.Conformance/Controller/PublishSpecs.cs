using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Controller;

/// <summary>csi-sanity "ControllerPublishVolume", "ControllerUnpublishVolume" and "volume lifecycle".</summary>
public sealed class PublishSpecs(SanityDriver driver) : SanityTest(driver)
{
    private static ControllerPublishVolumeRequest Publish(string volumeId, string nodeId, bool readOnly = false) =>
        new() { VolumeId = volumeId, NodeId = nodeId, VolumeCapability = MountCapability(), Readonly = readOnly };

    [Fact]
    public async Task Publish_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest()));

    [Fact]
    public async Task Publish_fails_when_no_node_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerPublishVolumeAsync(new ControllerPublishVolumeRequest { VolumeId = "vol-00000000000000000000000000000000" }));

    [Fact]
    public async Task Publish_fails_when_no_volume_capability_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerPublishVolumeAsync(
            new ControllerPublishVolumeRequest { VolumeId = "vol-00000000000000000000000000000000", NodeId = "some-node" }));

    [Fact]
    public async Task Publish_fails_when_the_volume_does_not_exist() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerPublishVolumeAsync(Publish("some-vol-id", SanityDriver.NodeId)));

    [Fact]
    public async Task Publish_fails_when_the_node_does_not_exist()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("wrong-node")));

        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, "some-fake-node-id")));
    }

    [Fact]
    public async Task Publish_fails_when_the_volume_is_already_published_but_incompatible()
    {
        var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName("incompatible")));
        await Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, SanityDriver.NodeId));
        TrackControllerPublish(volume.VolumeId, SanityDriver.NodeId);

        await AssertFails(StatusCode.AlreadyExists, () => Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, SanityDriver.NodeId, readOnly: true)));
    }

    [Fact]
    public async Task Publish_fails_when_publishing_more_volumes_than_the_node_max_attach_limit()
    {
        var info = await Csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        Assert.Equal(SanityDriver.MaxVolumesPerNode, info.MaxVolumesPerNode);
        for (var i = 0; i < info.MaxVolumesPerNode; i++)
        {
            var volume = await MustCreateVolume(CreateVolumeRequest(UniqueName($"limit-{i}")));
            await Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, info.NodeId));
            TrackControllerPublish(volume.VolumeId, info.NodeId);
        }
        var extra = await MustCreateVolume(CreateVolumeRequest(UniqueName("limit-extra")));

        await AssertFails(StatusCode.ResourceExhausted, () => Csi.Controller.ControllerPublishVolumeAsync(Publish(extra.VolumeId, info.NodeId)));
    }

    [Fact]
    public async Task Publish_to_a_second_node_of_a_single_node_volume_fails_the_precondition_and_names_the_first()
    {
        Driver.RegisterNode("second-node");
        var request = CreateVolumeRequest(UniqueName("moving"));
        request.Parameters.Add("pool", SanityDriver.SharedPool);
        var volume = await MustCreateVolume(request);
        await Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, SanityDriver.NodeId));
        TrackControllerPublish(volume.VolumeId, SanityDriver.NodeId);

        var message = await AssertFails(StatusCode.FailedPrecondition, () => Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, "second-node")));
        Assert.Contains(SanityDriver.NodeId, message, StringComparison.Ordinal);

        await Csi.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = SanityDriver.NodeId });
        var moved = await Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, "second-node"));
        TrackControllerPublish(volume.VolumeId, "second-node");
        Assert.Equal(SanityDriver.SharedPool, moved.PublishContext["loam.csi.dev/pool"]);
    }

    [Fact]
    public async Task Unpublish_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest()));

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task The_volume_lifecycle_works_and_every_step_is_idempotent(int count)
    {
        var info = await Csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        var request = CreateVolumeRequest(UniqueName($"lifecycle-{count}"));
        request.CapacityRange = null;
        request.AccessibilityRequirements = new TopologyRequirement();
        request.AccessibilityRequirements.Requisite.Add(info.AccessibleTopology);
        var volume = await MustCreateVolume(request);

        for (var i = 0; i < count; i++)
        {
            var published = await Csi.Controller.ControllerPublishVolumeAsync(Publish(volume.VolumeId, info.NodeId));
            Assert.Equal("false", published.PublishContext["loam.csi.dev/readonly"]);
        }
        TrackControllerPublish(volume.VolumeId, info.NodeId);
        var listed = await Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId });
        Assert.Equal([info.NodeId], listed.Status.PublishedNodeIds);

        for (var i = 0; i < count; i++)
            await Csi.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = info.NodeId });
        for (var i = 0; i < count; i++)
            await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        await AssertFails(StatusCode.NotFound, () => Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.VolumeId }));
    }
}
