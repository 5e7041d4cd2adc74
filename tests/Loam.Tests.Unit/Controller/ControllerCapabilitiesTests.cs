using Loam.Controller;
using Loam.Storage.Pools;
using RpcType = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Tests.Unit.Controller;

public sealed class ControllerCapabilitiesTests
{
    [Fact]
    public void A_controller_with_a_node_local_pool_leaves_expansion_to_the_node()
    {
        var pools = new PoolSet([new PoolOptions("default", "/pools/default"), new PoolOptions("nfs", "/mnt/nfs", Shared: true)]);

        var types = ControllerCapabilities.Response(pools).Capabilities.Select(c => c.Rpc.Type).ToList();

        Assert.DoesNotContain(RpcType.ExpandVolume, types);
        Assert.Contains(RpcType.CreateDeleteVolume, types);
    }

    [Fact]
    public void A_controller_whose_pools_are_all_shared_expands_volumes_itself()
    {
        var pools = new PoolSet([new PoolOptions("nfs", "/mnt/nfs", Shared: true)]);

        var types = ControllerCapabilities.Response(pools).Capabilities.Select(c => c.Rpc.Type).ToList();

        Assert.Contains(RpcType.ExpandVolume, types);
    }
}
