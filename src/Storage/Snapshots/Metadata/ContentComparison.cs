using System.Buffers;
using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>
/// Finds the blocks whose bytes differ between two images, reading both in bounded buffers
/// (never a whole image). Bytes past an image's end read as zeros, as a hole does.
/// </summary>
public static class ContentComparison
{
    /// <param name="candidates">ranges to look at, sorted by offset (elsewhere the images are known equal).</param>
    /// <param name="end">bytes at or past it are not compared.</param>
    /// <returns>Lazily, the differing ranges in whole blocks of <paramref name="blockSize"/> (clipped to <paramref name="end"/>), merged.</returns>
    public static IEnumerable<ByteRange> Differences(
        IExtentReader first, IExtentReader second, IEnumerable<ByteRange> candidates, long end, int blockSize, int bufferSize,
        CancellationToken cancellationToken = default)
    {
        if (bufferSize < blockSize || bufferSize % blockSize != 0)
            throw new ArgumentException($"buffer size {bufferSize} must be a multiple of block size {blockSize}", nameof(bufferSize));
        return Ranges.Merge(Scan(first, second, Ranges.AlignOutward(candidates, blockSize), end, blockSize, bufferSize, cancellationToken));
    }

    private static IEnumerable<ByteRange> Scan(
        IExtentReader first, IExtentReader second, IEnumerable<ByteRange> aligned, long end, int blockSize, int bufferSize, CancellationToken cancellationToken)
    {
        var a = ArrayPool<byte>.Shared.Rent(bufferSize);
        var b = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            foreach (var range in Ranges.Clip(aligned, 0, end))
            {
                for (var offset = range.Offset; offset < range.End; offset += bufferSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var length = (int)Math.Min(bufferSize, range.End - offset);
                    Fill(first, offset, a.AsSpan(0, length));
                    Fill(second, offset, b.AsSpan(0, length));
                    long? runStart = null;
                    for (var block = 0; block < length; block += blockSize)
                    {
                        var size = Math.Min(blockSize, length - block);
                        var differs = !a.AsSpan(block, size).SequenceEqual(b.AsSpan(block, size));
                        if (differs)
                            runStart ??= offset + block;
                        else if (runStart is { } s)
                        {
                            yield return ByteRange.FromTo(s, offset + block);
                            runStart = null;
                        }
                    }
                    if (runStart is { } open)
                        yield return ByteRange.FromTo(open, offset + length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private static void Fill(IExtentReader image, long offset, Span<byte> buffer)
    {
        var read = image.Read(offset, buffer);
        buffer[read..].Clear();
    }
}
