using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// An image in memory: its bytes, the ranges SEEK_DATA would report and the extents FIEMAP
/// would. Writing bytes marks them allocated; extents are whatever the test lays out.
/// </summary>
public sealed class FakeImage(long length) : IExtentReader
{
    private readonly byte[] _bytes = new byte[length];
    private readonly List<ByteRange> _allocated = [];

    public long Length => length;
    public List<FileExtent> Layout { get; } = [];
    public bool Disposed { get; private set; }
    public bool MapsExtents { get; set; } = true;
    public int Opened { get; set; }

    public FakeImage Write(long offset, int count, byte value)
    {
        _bytes.AsSpan((int)offset, count).Fill(value);
        return MarkAllocated(offset, count);
    }

    /// <summary>Allocated without new bytes (e.g. zeros written).</summary>
    public FakeImage MarkAllocated(long offset, long count)
    {
        _allocated.Add(new ByteRange(offset, count));
        return this;
    }

    public FakeImage Extent(long logical, long physical, long count, ExtentFlags flags = ExtentFlags.None)
    {
        Layout.Add(new FileExtent(logical, physical, count, flags));
        return this;
    }

    public FakeImage CopyOf(FakeImage other)
    {
        other._bytes.AsSpan(0, (int)Math.Min(length, other.Length)).CopyTo(_bytes);
        _allocated.AddRange(other._allocated);
        return this;
    }

    public IEnumerable<ByteRange> Allocated(long from) =>
        Ranges.Clip(Ranges.Merge(_allocated.OrderBy(r => r.Offset)), from, length);

    public IEnumerable<FileExtent> Extents(long from) => !MapsExtents ? throw new IOException("FIEMAP: EOPNOTSUPP") : Layout.OrderBy(e => e.Logical).Where(e => e.End > from);

    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= length)
            return 0;
        var count = (int)Math.Min(buffer.Length, length - offset);
        _bytes.AsSpan((int)offset, count).CopyTo(buffer);
        return count;
    }

    public void Dispose() => Disposed = true;
}
