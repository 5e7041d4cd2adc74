namespace Loam.Storage.Volumes;

/// <summary>One capability a CO asks for: how the volume is consumed and by how many nodes.</summary>
public sealed record VolumeCapabilitySpec(AccessType AccessType, AccessMode Mode, string? FsType = null, IReadOnlyList<string>? MountFlags = null, string? MountGroup = null)
{
    public bool IsReadOnlyMode => Mode.IsReadOnly();

    public bool IsSingleNode => Mode.IsSingleNode();
}
