namespace Loam.Storage.Os;

/// <summary>Seam over the image files that back volumes and snapshots.</summary>
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

    bool Exists(string path);

    void Delete(string path);
}
