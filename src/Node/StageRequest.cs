using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>NodeStageVolume in storage terms. <see cref="ReadOnly"/> comes from the attachment (the publish context).</summary>
public sealed record StageRequest(string VolumeId, string StagingPath, VolumeCapabilitySpec Capability, bool ReadOnly);
