using Grpc.Core;
using Loam.Client;
using RpcType = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Tests.Tools;

/// <summary>The client prints enum values under the names the CSI spec and gRPC use.</summary>
public sealed class CsiNamesTests
{
    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.Unimplemented, "UNIMPLEMENTED")]
    public void Status_codes_are_named_as_grpc_names_them(StatusCode code, string name) => Assert.Equal(name, CsiNames.Of(code));

    [Fact]
    public void Capabilities_are_named_as_the_spec_names_them()
    {
        Assert.Equal("CREATE_DELETE_VOLUME", CsiNames.Of(RpcType.CreateDeleteVolume));
        Assert.Equal("LIST_VOLUMES_PUBLISHED_NODES", CsiNames.Of(RpcType.ListVolumesPublishedNodes));
        Assert.Equal("SINGLE_NODE_MULTI_WRITER", CsiNames.Of(RpcType.SingleNodeMultiWriter));
    }
}
