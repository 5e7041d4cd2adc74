namespace Loam.Storage.Os;

/// <summary>One FIEMAP extent: file bytes [Logical, Logical + Length) live at Physical on the device.</summary>
public readonly record struct FileExtent(long Logical, long Physical, long Length, ExtentFlags Flags)
{
    public long End => Logical + Length;

    /// <summary>
    /// True when the physical offset does not identify each byte's place (not yet allocated,
    /// encoded, inline): two such extents cannot be judged equal by location alone.
    /// </summary>
    public bool LocationUncertain =>
        (Flags & (ExtentFlags.Unknown | ExtentFlags.Delalloc | ExtentFlags.Encoded | ExtentFlags.NotAligned | ExtentFlags.DataInline | ExtentFlags.DataTail)) != 0;

    public bool Unwritten => (Flags & ExtentFlags.Unwritten) != 0;
}
