using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>A CreateVolume request in storage terms.</summary>
public sealed record CreateVolumeSpec
{
    public required string Name { get; init; }
    public CapacityRange Capacity { get; init; }
    public required IReadOnlyList<VolumeCapabilitySpec> Capabilities { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> MutableParameters { get; init; } = new Dictionary<string, string>();
    public ContentSource? Source { get; init; }
    /// <summary>Topologies the volume must be reachable from (any one of them).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> RequisiteTopology { get; init; } = [];
    public bool Ephemeral { get; init; }
}
