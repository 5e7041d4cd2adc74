using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>Lazy operations on sequences of byte ranges sorted by offset.</summary>
public static class Ranges
{
    /// <summary>Joins overlapping and touching ranges; drops empty ones. Input sorted by offset.</summary>
    public static IEnumerable<ByteRange> Merge(IEnumerable<ByteRange> sorted)
    {
        ByteRange? current = null;
        foreach (var range in sorted)
        {
            if (range.Length <= 0)
                continue;
            if (current is { } c && range.Offset <= c.End)
            {
                current = ByteRange.FromTo(c.Offset, Math.Max(c.End, range.End));
                continue;
            }
            if (current is { } done)
                yield return done;
            current = range;
        }
        if (current is { } last)
            yield return last;
    }

    /// <summary>The parts of the ranges inside [start, end).</summary>
    public static IEnumerable<ByteRange> Clip(IEnumerable<ByteRange> sorted, long start, long end)
    {
        foreach (var range in sorted)
        {
            if (range.Offset >= end)
                yield break;
            var from = Math.Max(range.Offset, start);
            var to = Math.Min(range.End, end);
            if (to > from)
                yield return ByteRange.FromTo(from, to);
        }
    }

    /// <summary>Every byte in either sequence, merged; both inputs sorted by offset.</summary>
    public static IEnumerable<ByteRange> Union(IEnumerable<ByteRange> first, IEnumerable<ByteRange> second) =>
        Merge(Interleave(first, second));

    /// <summary>Widens each range to whole blocks of <paramref name="blockSize"/>, merged.</summary>
    public static IEnumerable<ByteRange> AlignOutward(IEnumerable<ByteRange> sorted, long blockSize) =>
        Merge(sorted.Select(r => ByteRange.FromTo(r.Offset / blockSize * blockSize, CeilingTo(r.End, blockSize))));

    /// <summary>Splits ranges into the aligned blocks of <paramref name="blockSize"/> they touch, each block once.</summary>
    public static IEnumerable<ByteRange> Blocks(IEnumerable<ByteRange> sorted, long blockSize)
    {
        foreach (var range in AlignOutward(sorted, blockSize))
        {
            for (var offset = range.Offset; offset < range.End; offset += blockSize)
                yield return new ByteRange(offset, blockSize);
        }
    }

    public static long CeilingTo(long value, long blockSize) => (value + blockSize - 1) / blockSize * blockSize;

    private static IEnumerable<ByteRange> Interleave(IEnumerable<ByteRange> first, IEnumerable<ByteRange> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        while (hasA || hasB)
        {
            if (hasA && (!hasB || a.Current.Offset <= b.Current.Offset))
            {
                yield return a.Current;
                hasA = a.MoveNext();
            }
            else
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }
}
