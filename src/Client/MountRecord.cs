namespace Loam.Client;

/// <summary>
/// A volume mounted as a CO mounts it, with everything needed to undo it: which steps ran
/// (ControllerPublish to this node, NodeStage at <see cref="StagingPath"/>, NodePublish at
/// <see cref="TargetPath"/>) and what they were given.
/// </summary>
public sealed record MountRecord
{
    public required string VolumeId { get; init; }
    public required string NodeId { get; init; }
    public required string TargetPath { get; init; }
    /// <summary>Null when the node does not offer STAGE_UNSTAGE_VOLUME.</summary>
    public string? StagingPath { get; init; }
    public bool ControllerPublished { get; init; }
    public bool Block { get; init; }
    public bool ReadOnly { get; init; }
    public string FsType { get; init; } = "";
    public Dictionary<string, string> VolumeContext { get; init; } = [];
    public Dictionary<string, string> PublishContext { get; init; } = [];
}
