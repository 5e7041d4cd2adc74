namespace Loam.Storage.Snapshots.Metadata;

/// <summary>How a metadata stream sizes its ranges: the CSI spec lets the plugin choose, once per call.</summary>
public enum RangeStyle
{
    /// <summary>Extents as found, adjacent ones merged (CSI VARIABLE_LENGTH).</summary>
    Variable,
    /// <summary>Aligned blocks of one size that tile the volume (CSI FIXED_LENGTH).</summary>
    Fixed,
}
