using Csi.V1;

namespace Loam.Csi.Mapping;

public static class TopologyMapping
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Requisite(TopologyRequirement? requirement) =>
        requirement is null ? [] : [.. requirement.Requisite.Select(t => (IReadOnlyDictionary<string, string>)t.Segments)];

    public static global::Csi.V1.Topology ToCsi(IReadOnlyDictionary<string, string> segments)
    {
        var topology = new global::Csi.V1.Topology();
        topology.Segments.SetAll(segments);
        return topology;
    }
}
