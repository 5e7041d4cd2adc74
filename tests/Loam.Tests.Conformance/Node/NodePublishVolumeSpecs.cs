using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service NodePublishVolume" and "NodeUnpublishVolume".</summary>
public sealed class NodePublishVolumeSpecs(SanityDriver driver) : NodeSpec(driver)
{
    [Fact]
    public async Task NodePublishVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest()));

    [Fact]
    public async Task NodePublishVolume_fails_when_no_target_path_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest { VolumeId = UnknownVolumeId() }));

    [Fact]
    public async Task NodePublishVolume_fails_when_no_volume_capability_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest { VolumeId = UnknownVolumeId(), TargetPath = Target }));

    [Fact]
    public async Task NodeUnpublishVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest()));

    [Fact]
    public async Task NodeUnpublishVolume_fails_when_no_target_path_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = UnknownVolumeId() }));

    [RootTheory]
    [InlineData("mount")]
    [InlineData("block")]
    public async Task NodeUnpublishVolume_removes_the_target_path(string accessType)
    {
        var name = UniqueName("sanity-node-unpublish-volume");
        var volume = await CreateVolume(name, accessType);
        var published = await ControllerPublishSupported() ? await ControllerPublish(volume, await NodeId(), accessType) : null;
        await NodeStage(volume, published, accessType);
        await NodePublish(volume, published, accessType);
        Assert.True(Path.Exists(Target), "the driver creates the target path");

        await Csi.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volume.VolumeId, TargetPath = Target });

        Assert.False(Path.Exists(Target), "NodeUnpublishVolume must delete what it created at the target path");
    }
}
