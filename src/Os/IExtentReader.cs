namespace Loam.Storage.Os;

/// <summary>
/// One open file. Its answers describe the file as it is through this handle, even when the
/// name is removed meanwhile. Sequences are lazy and sorted by offset.
/// </summary>
public interface IExtentReader : IDisposable
{
    long Length { get; }

    /// <summary>Ranges holding data at or after <paramref name="from"/> (SEEK_DATA/SEEK_HOLE), clipped to the length.</summary>
    IEnumerable<ByteRange> Allocated(long from);

    /// <summary>
    /// Whether the filesystem maps extents at all (FIEMAP; NFS, for one, does not). When false,
    /// <see cref="Extents"/> fails.
    /// </summary>
    bool MapsExtents { get; }

    /// <summary>
    /// Physical extents overlapping [<paramref name="from"/>, Length) (FIEMAP, after syncing
    /// the file); extents may start before <paramref name="from"/> and end past the length.
    /// </summary>
    IEnumerable<FileExtent> Extents(long from);

    /// <summary>Reads at <paramref name="offset"/>; fewer bytes than asked only at the end of the file.</summary>
    int Read(long offset, Span<byte> buffer);
}
