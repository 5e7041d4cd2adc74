using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service NodeStageVolume" and "NodeUnstageVolume".</summary>
public sealed class NodeStageVolumeSpecs(SanityDriver driver) : NodeSpec(driver)
{
    // csi-sanity passes a device that does not exist in the publish context of these specs.
    private static NodeStageVolumeRequest WithMockDevice(NodeStageVolumeRequest request)
    {
        request.PublishContext.Add("device", "/dev/mock");
        return request;
    }

    [Fact]
    public async Task NodeStageVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeStageVolumeAsync(WithMockDevice(new NodeStageVolumeRequest
        {
            StagingTargetPath = StagingPath, VolumeCapability = Capability("mount"),
        })));

    [Fact]
    public async Task NodeStageVolume_fails_when_no_staging_target_path_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeStageVolumeAsync(WithMockDevice(new NodeStageVolumeRequest
        {
            VolumeId = UnknownVolumeId(), VolumeCapability = Capability("mount"),
        })));

    [Fact]
    public async Task NodeStageVolume_fails_when_no_volume_capability_is_provided()
    {
        var volume = await CreateVolume(UniqueName("sanity-node-stage-nocaps"), "mount");

        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeStageVolumeAsync(WithMockDevice(new NodeStageVolumeRequest
        {
            VolumeId = volume.VolumeId, StagingTargetPath = StagingPath,
        })));
    }

    [Fact]
    public async Task NodeUnstageVolume_fails_when_no_volume_id_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { StagingTargetPath = StagingPath }));

    [Fact]
    public async Task NodeUnstageVolume_fails_when_no_staging_target_path_is_provided() =>
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = UnknownVolumeId() }));
}
