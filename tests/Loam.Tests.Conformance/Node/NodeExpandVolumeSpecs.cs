using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service NodeExpandVolume".</summary>
public sealed class NodeExpandVolumeSpecs(SanityDriver driver) : NodeSpec(driver)
{
    [Fact]
    public async Task NodeExpandVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumePath = TargetPath, VolumeCapability = Capability("mount"),
        }));

    [Fact]
    public async Task NodeExpandVolume_fails_when_no_volume_path_is_provided()
    {
        var volume = await CreateVolume(UniqueName("sanity-node-expand-volume-valid-id"), "mount");

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumeCapability = Capability("mount"),
        }));
    }

    [Fact]
    public async Task NodeExpandVolume_fails_when_the_volume_is_not_found() =>
        await AssertFails(StatusCode.NotFound, () => Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = UnknownVolumeId(), VolumePath = "some/path",
        }));

    [RootTheory]
    [InlineData("mount")]
    [InlineData("block")]
    public async Task NodeExpandVolume_works_after_node_publish(string accessType)
    {
        var volume = await CreateVolume(UniqueName("sanity-node-expand-volume"), accessType);
        var expanded = await Csi.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, CapacityRange = new() { RequiredBytes = TestVolumeSize + ExpandIncrement },
        });
        Assert.Equal(TestVolumeSize + ExpandIncrement, expanded.CapacityBytes);
        var published = await ControllerPublishSupported() ? await ControllerPublish(volume, await NodeId(), accessType) : null;
        await NodeStage(volume, published, accessType);
        await NodePublish(volume, published, accessType);

        var response = await Csi.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId, VolumePath = Target, CapacityRange = new() { RequiredBytes = TestVolumeSize + ExpandIncrement },
        });

        Assert.NotNull(response);
    }
}
