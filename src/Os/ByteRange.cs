namespace Loam.Storage.Os;

/// <summary>A half-open byte range [Offset, Offset + Length) of a file; Length is never negative.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    public long End => Offset + Length;

    public static ByteRange FromTo(long start, long end) => new(start, end - start);

    public override string ToString() => $"[{Offset}, {End})";
}
