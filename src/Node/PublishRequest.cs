using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>NodePublishVolume in storage terms.</summary>
public sealed record PublishRequest(
    string VolumeId,
    string? StagingPath,
    string TargetPath,
    VolumeCapabilitySpec Capability,
    bool ReadOnly,
    IReadOnlyDictionary<string, string> VolumeContext);
