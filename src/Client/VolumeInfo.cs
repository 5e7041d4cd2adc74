using Csi.V1;

namespace Loam.Client;

/// <summary>A volume with what the controller reports about it: the nodes it is published to and its condition (when offered).</summary>
public sealed record VolumeInfo(Volume Volume, IReadOnlyList<string> PublishedNodeIds, VolumeCondition? Condition);
