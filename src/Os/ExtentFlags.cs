namespace Loam.Storage.Os;

/// <summary>The FIEMAP extent flags Loam reads (linux/fiemap.h, FIEMAP_EXTENT_*).</summary>
[Flags]
public enum ExtentFlags : uint
{
    None = 0,
    Last = 0x1,
    /// <summary>Where the data lives is not known yet.</summary>
    Unknown = 0x2,
    /// <summary>Delayed allocation: no physical location yet (implies Unknown).</summary>
    Delalloc = 0x4,
    /// <summary>Compressed or otherwise encoded: the physical offset names the encoded extent, not the byte.</summary>
    Encoded = 0x8,
    DataEncrypted = 0x80,
    NotAligned = 0x100,
    DataInline = 0x200,
    DataTail = 0x400,
    /// <summary>Allocated but never written: reads as zeros.</summary>
    Unwritten = 0x800,
    Merged = 0x1000,
    /// <summary>The space is shared with another file (a reflink) or snapshot.</summary>
    Shared = 0x2000,
}
