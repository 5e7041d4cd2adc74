namespace Loam.Storage.Os;

/// <summary>What lstat(2) finds at a path.</summary>
public enum PathKind
{
    Missing,
    Directory,
    File,
    BlockDevice,
    SymbolicLink,
    Other,
    /// <summary>lstat failed with something other than "no such file": a corrupt mount point (ENOTCONN, ESTALE, EIO, ...).</summary>
    Unreadable,
}
