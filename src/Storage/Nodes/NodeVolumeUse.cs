namespace Loam.Storage.Nodes;

/// <summary>
/// What this node's kernel holds of one volume: the loop devices backed by its image, its staging
/// mount when exactly one filesystem mount of them lies below the allowed roots, and every other
/// path where they are mounted or their device node is bound (publish targets, or mounts that are
/// not the driver's).
/// </summary>
public sealed record NodeVolumeUse(IReadOnlyList<string> Devices, string? StagingPath, IReadOnlyList<string> Targets)
{
    public static NodeVolumeUse Nothing { get; } = new([], null, []);

    public bool Staged => Devices.Count > 0 || StagingPath is not null;

    public bool Published => Targets.Count > 0;
}
