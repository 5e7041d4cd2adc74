using Csi.V1;
using RpcType = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Controller;

/// <summary>The controller RPCs this driver implements; the CO reads these before calling any.</summary>
public static class ControllerCapabilities
{
    public static IReadOnlyList<RpcType> Supported { get; } =
    [
        RpcType.CreateDeleteVolume,
        RpcType.PublishUnpublishVolume,
        RpcType.ListVolumes,
        RpcType.GetCapacity,
        RpcType.PublishReadonly,
        RpcType.ExpandVolume,
        RpcType.ListVolumesPublishedNodes,
        RpcType.VolumeCondition,
        RpcType.GetVolume,
        RpcType.SingleNodeMultiWriter,
        RpcType.CreateDeleteSnapshot,
        RpcType.ListSnapshots,
        RpcType.GetSnapshot,
        RpcType.CloneVolume,
        RpcType.ModifyVolume,
    ];

    public static ControllerGetCapabilitiesResponse Response()
    {
        var response = new ControllerGetCapabilitiesResponse();
        response.Capabilities.Add(Supported.Select(type => new ControllerServiceCapability
        {
            Rpc = new ControllerServiceCapability.Types.RPC { Type = type },
        }));
        return response;
    }
}
