using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>
/// Shapes found ranges into the messages of one metadata stream: clipped to
/// [starting_offset, capacity), in the call's style, at most <c>max_results</c> tuples a
/// message, strictly increasing and non-overlapping across the whole stream.
/// </summary>
public static class MetadataPager
{
    /// <summary>The fixed block size used for a volume: the configured one, halved until it divides the capacity.</summary>
    public static long FixedBlockSize(long capacity, int configured)
    {
        long size = configured;
        while (size > 1 && capacity % size != 0)
            size /= 2;
        return size;
    }

    /// <param name="ranges">data ranges sorted by offset; they may touch, overlap or reach past the capacity.</param>
    /// <param name="blockSize">the fixed style's block size, from <see cref="FixedBlockSize"/>; ignored when variable.</param>
    /// <returns>
    /// Lazily, pages of at most <paramref name="maxResults"/> tuples; a stream with no tuple at
    /// all still yields one empty page, so the caller learns the capacity and style.
    /// </returns>
    public static IEnumerable<IReadOnlyList<ByteRange>> Pages(
        IEnumerable<ByteRange> ranges, long startingOffset, long capacity, RangeStyle style, long blockSize, int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var clipped = Ranges.Clip(Ranges.Merge(ranges), startingOffset, capacity);
        var tuples = style == RangeStyle.Fixed ? Ranges.Blocks(clipped, blockSize) : clipped;
        var page = new List<ByteRange>(Math.Min(maxResults, 4096));
        var any = false;
        foreach (var tuple in tuples)
        {
            page.Add(tuple);
            if (page.Count < maxResults)
                continue;
            yield return page;
            any = true;
            page = new List<ByteRange>(Math.Min(maxResults, 4096));
        }
        if (page.Count > 0 || !any)
            yield return page;
    }
}
