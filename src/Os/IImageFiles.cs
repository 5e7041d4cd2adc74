namespace Loam.Storage.Os;

/// <summary>
/// Seam over the image files that back volumes and snapshots. Every open follows the one
/// policy of <see cref="ImageOpen"/>: O_NOFOLLOW | O_CLOEXEC, and nothing but a regular file
/// is used (StorageException FailedPrecondition naming the image otherwise). Size queries
/// lstat the name; they never follow a link either.
/// </summary>
public interface IImageFiles
{
    /// <summary>
    /// Makes (or remakes, truncating a leftover) a sparse image of exactly <paramref name="size"/>
    /// bytes, allocated in full when <paramref name="allocate"/>. Its content and size are synced
    /// on return; its name becomes durable with the next sync of its folder, which the record
    /// written beside it (the commit point) performs, so one directory sync serves both.
    /// </summary>
    /// <exception cref="StorageException">ResourceExhausted when the pool filesystem is full.</exception>
    void Create(string path, long size, bool allocate);

    /// <summary>Grows an image to <paramref name="size"/> bytes (never shrinks); allocates the new part when asked.</summary>
    void Grow(string path, long size, bool allocate);

    /// <summary>Allocates every byte of an existing image (thin to thick).</summary>
    void Allocate(string path);

    /// <summary>Bytes the image really occupies on the pool filesystem (st_blocks × 512).</summary>
    long AllocatedBytes(string path);

    long Size(string path);

    /// <summary>Whether a regular file is there (a symlink in its place is no image).</summary>
    bool Exists(string path);

    /// <summary>The image's device and inode (lstat), or null when no regular file is there.</summary>
    ImageIdentity? Identify(string path);

    /// <summary>st_dev of the filesystem holding <paramref name="folder"/>, or null when it cannot be stat'd.</summary>
    ulong? FolderDevice(string folder);

    /// <summary>
    /// Removes the name (a symlink there is removed, never what it points to); a missing one is fine.
    /// The removal is not synced: every caller deletes an image whose record is already gone durably
    /// (or was never written), so an unlink a crash undoes leaves an image without a record, which
    /// the start-up sweep removes.
    /// </summary>
    void Delete(string path);
}
