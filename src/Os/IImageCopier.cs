namespace Loam.Storage.Os;

/// <summary>Seam over copying one image file to another, the cheapest way the pool allows.</summary>
public interface IImageCopier
{
    /// <summary>
    /// Makes <paramref name="target"/> (created, or truncated if a leftover) hold exactly the
    /// content and length of <paramref name="source"/>: a reflink (FICLONE) when both are on one
    /// filesystem that shares extents (xfs with reflink, btrfs), else a copy of the source's
    /// data extents only (SEEK_DATA/SEEK_HOLE with copy_file_range), so holes stay holes.
    /// The target is synced on return; on failure it is removed. A <paramref name="readOnly"/>
    /// target (a snapshot) gets mode 0440, else 0660. Without <paramref name="reflink"/> the
    /// copy is always a real one (a thick volume must own its blocks).
    /// </summary>
    /// <returns>true when the target shares its extents with the source.</returns>
    /// <exception cref="StorageException">ResourceExhausted when the pool filesystem is full.</exception>
    bool Copy(string source, string target, bool readOnly, bool reflink = true);
}
