using Csi.V1;
using RpcType = Csi.V1.NodeServiceCapability.Types.RPC.Types.Type;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service NodeGetCapabilities" and "NodeGetInfo".</summary>
public sealed class NodeInfoSpecs(SanityDriver driver) : NodeSpec(driver)
{
    private static readonly RpcType[] Known =
    [
        RpcType.Unknown, RpcType.StageUnstageVolume, RpcType.GetVolumeStats, RpcType.ExpandVolume,
        RpcType.VolumeCondition, RpcType.SingleNodeMultiWriter, RpcType.VolumeMountGroup,
    ];

    [Fact]
    public async Task NodeGetCapabilities_returns_appropriate_capabilities()
    {
        var response = await Csi.Node.NodeGetCapabilitiesAsync(new NodeGetCapabilitiesRequest());

        Assert.All(response.Capabilities, c =>
        {
            Assert.NotNull(c.Rpc);
            Assert.Contains(c.Rpc.Type, Known);
        });
        Assert.Equal(
            [RpcType.StageUnstageVolume, RpcType.GetVolumeStats, RpcType.ExpandVolume, RpcType.VolumeCondition, RpcType.SingleNodeMultiWriter, RpcType.VolumeMountGroup],
            response.Capabilities.Select(c => c.Rpc.Type).Order());
    }

    [Fact]
    public async Task NodeGetInfo_returns_appropriate_values()
    {
        var info = await Csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());

        Assert.Equal(SanityDriver.NodeId, info.NodeId);
        Assert.Equal(SanityDriver.MaxVolumesPerNode, info.MaxVolumesPerNode);
        // The plugin offers VOLUME_ACCESSIBILITY_CONSTRAINTS, so the node must say where it is.
        Assert.NotNull(info.AccessibleTopology);
        Assert.Equal(SanityDriver.NodeId, info.AccessibleTopology.Segments["topology.loam.csi.dev/node"]);
    }
}
