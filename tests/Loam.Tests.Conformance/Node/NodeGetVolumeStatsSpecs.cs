using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service NodeGetVolumeStats".</summary>
public sealed class NodeGetVolumeStatsSpecs(SanityDriver driver) : NodeSpec(driver)
{
    [Fact]
    public async Task NodeGetVolumeStats_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumePath = "some/path" }));

    [Fact]
    public async Task NodeGetVolumeStats_fails_when_no_volume_path_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = UnknownVolumeId() }));

    [Fact]
    public async Task NodeGetVolumeStats_fails_when_the_volume_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = UnknownVolumeId(), VolumePath = "some/path" }));

    [RootTheory]
    [InlineData("mount")]
    [InlineData("block")]
    public async Task NodeGetVolumeStats_fails_when_the_volume_does_not_exist_on_the_specified_path(string accessType)
    {
        var name = UniqueName("sanity-node-get-volume-stats");
        var volume = await CreateVolume(name, accessType);
        var published = await ControllerPublishSupported() ? await ControllerPublish(volume, await NodeId(), accessType) : null;
        await NodeStage(volume, published, accessType);
        await NodePublish(volume, published, accessType);

        await AssertFails(StatusCode.NotFound, () => Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = "some/path" }));
    }
}
