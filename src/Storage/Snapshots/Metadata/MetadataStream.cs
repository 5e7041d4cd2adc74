using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>
/// The answer to one metadata call, computed lazily while it is sent: the volume's capacity,
/// the style every page uses, and the pages. Holds the images open until disposed, so a
/// snapshot deleted meanwhile is still read whole and consistently.
/// </summary>
public sealed class MetadataStream(long capacity, RangeStyle style, IEnumerable<IReadOnlyList<ByteRange>> pages, params IDisposable[] resources) : IDisposable
{
    public long VolumeCapacity => capacity;
    public RangeStyle Style => style;
    public IEnumerable<IReadOnlyList<ByteRange>> Pages => pages;

    public void Dispose()
    {
        foreach (var resource in resources)
            resource.Dispose();
    }
}
