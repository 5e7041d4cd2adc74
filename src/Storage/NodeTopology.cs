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
    /// Whether a volume pinned to <paramref name="node"/> (null: anywhere) may satisfy the
    /// CO's requisite topologies. An empty requisite list accepts anything; segments with
    /// keys other than ours say nothing about placement here and are ignored.
    /// </summary>
    public static bool Satisfies(string? node, IReadOnlyList<IReadOnlyDictionary<string, string>> requisite)
    {
        if (node is null || requisite.Count == 0)
            return true;
        return requisite.Any(segment => !segment.TryGetValue(NodeKey, out var wanted) || wanted == node);
    }
}
