namespace Loam.Driver.Cli;

/// <summary>The answer of ControllerExpandVolume.</summary>
public sealed record ExpandView(string VolumeId, long CapacityBytes, bool NodeExpansionRequired);
