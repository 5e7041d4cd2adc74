using Csi.V1;
using Grpc.Core;
using Loam.Csi.Mapping;
using Loam.Storage;
using CsiNode = Csi.V1.Node;

namespace Loam.Node;

/// <summary>CSI Node service. Stage, publish and their inverses come with the node issue.</summary>
public sealed class NodeService(StorageOptions options) : CsiNode.NodeBase
{
    public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new NodeGetInfoResponse
        {
            NodeId = options.NodeId,
            MaxVolumesPerNode = options.MaxVolumesPerNode,
            AccessibleTopology = TopologyMapping.ToCsi(NodeTopology.ForNode(options.NodeId)),
        });

    public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context) =>
        Task.FromResult(new NodeGetCapabilitiesResponse());
}
