using Csi.V1;
using RpcType = Csi.V1.NodeServiceCapability.Types.RPC.Types.Type;

namespace Loam.Node;

/// <summary>The node RPCs and behaviours this driver implements; each one works end to end.</summary>
public static class NodeCapabilities
{
    public static IReadOnlyList<RpcType> Supported { get; } =
    [
        RpcType.StageUnstageVolume,
        RpcType.GetVolumeStats,
        RpcType.ExpandVolume,
        RpcType.VolumeCondition,
        RpcType.SingleNodeMultiWriter,
        RpcType.VolumeMountGroup,
    ];

    public static NodeGetCapabilitiesResponse Response()
    {
        var response = new NodeGetCapabilitiesResponse();
        response.Capabilities.Add(Supported.Select(type => new NodeServiceCapability
        {
            Rpc = new NodeServiceCapability.Types.RPC { Type = type },
        }));
        return response;
    }
}
