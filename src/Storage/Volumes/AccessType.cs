namespace Loam.Storage.Volumes;

/// <summary>A volume is consumed as a mounted filesystem or as a raw block device.</summary>
public enum AccessType
{
    Mount,
    Block,
}
