using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>
/// Fills a new volume's image from a snapshot or another volume. The provisioner asks
/// for the source's size first (a new volume may not be smaller), then for the copy.
/// </summary>
public interface IVolumeContentSource
{
    /// <exception cref="StorageException">NotFound when the source does not exist.</exception>
    long SourceSize(ContentSource source);

    /// <summary>Writes the source's content to <paramref name="imagePath"/> in <paramref name="pool"/>, sized <paramref name="size"/>.</summary>
    void CopyTo(ContentSource source, Pool pool, string imagePath, long size, bool allocate);
}
