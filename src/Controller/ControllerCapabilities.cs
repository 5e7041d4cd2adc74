using Csi.V1;
using Loam.Storage.Pools;
using RpcType = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Controller;

/// <summary>The controller RPCs this driver implements; the CO reads these before calling any.</summary>
public static class ControllerCapabilities
{
    /// <summary>
    /// Whether ControllerExpandVolume is advertised: only when every pool is shared, so that any
    /// controller instance reaches every volume's image. With a node-local pool the controller
    /// that a CO elects may sit on another node than the image, so expansion is left to
    /// NodeExpandVolume on the node that holds the volume (Kubernetes' external-resizer then
    /// marks the resize done without a controller call). The RPC itself still works for
    /// callers that use it directly (the CLI, a single host).
    /// </summary>
    public static bool ExpandsInController(PoolSet pools) => pools.All(pool => pool.Shared);

    public static IReadOnlyList<RpcType> Supported(PoolSet pools) =>
        ExpandsInController(pools) ? All : [.. All.Where(type => type != RpcType.ExpandVolume)];

    private static IReadOnlyList<RpcType> All { get; } =
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

    public static ControllerGetCapabilitiesResponse Response(PoolSet pools)
    {
        var response = new ControllerGetCapabilitiesResponse();
        response.Capabilities.Add(Supported(pools).Select(type => new ControllerServiceCapability
        {
            Rpc = new ControllerServiceCapability.Types.RPC { Type = type },
        }));
        return response;
    }
}
