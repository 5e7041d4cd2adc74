namespace Loam.Storage.Snapshots.Metadata;

/// <summary>What the physical layout of two reflinked images says about a range of both.</summary>
public enum ExtentVerdict
{
    /// <summary>The range lives in different places (or in one image only): it changed.</summary>
    Changed,
    /// <summary>The layout cannot tell (delayed, encoded or inline extents): compare the bytes.</summary>
    Compare,
}
