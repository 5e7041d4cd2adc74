using Loam.Storage.Pools;

namespace Loam.Storage;

/// <summary>Topology segments: volumes in a node-local pool are reachable from that node only.</summary>
public static class NodeTopology
{
    public const string NodeKey = "topology.loam.csi.dev/node";

    public static IReadOnlyDictionary<string, string> ForNode(string nodeId) => new Dictionary<string, string> { [NodeKey] = nodeId };

    /// <summary>The segment a new volume in <paramref name="pool"/> gets, or null when any node reaches it.</summary>
    public static string? NodeFor(Pool pool, string nodeId) => pool.Shared ? null : nodeId;

    /// <summary>
    /// Whether a volume pinned to <paramref name="node"/> (null: anywhere) is accessible from at
    /// least one of the CO's requisite topologies, as CreateVolume must be. A segment is met when
    /// every key in it is one Loam reports and has this node's value: a segment with a key Loam
    /// never reports names nodes this volume cannot be known to reach. An empty requisite list
    /// accepts anything, and so does a shared pool: a volume without accessible_topology is,
    /// by the spec, equally accessible from every node in the cluster.
    /// </summary>
    public static bool Satisfies(string? node, IReadOnlyList<IReadOnlyDictionary<string, string>> requisite)
    {
        if (node is null || requisite.Count == 0)
            return true;
        return requisite.Any(segment => segment.All(kv => kv.Key == NodeKey && kv.Value == node));
    }
}
