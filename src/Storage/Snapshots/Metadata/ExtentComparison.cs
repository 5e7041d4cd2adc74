using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>
/// Compares two reflinks of one source by where their bytes live. A block both images share
/// (same physical place) cannot differ: neither image is ever written, and writes to the
/// source copy shared blocks before changing them. So only ranges whose places differ, or
/// that hold data in one image and a hole in the other, can have changed.
/// </summary>
public static class ExtentComparison
{
    /// <summary>
    /// The pieces of [<paramref name="start"/>, <paramref name="end"/>) that are not provably
    /// equal, in order, adjacent pieces of one verdict joined. Equal pieces are left out: holes
    /// in both, unwritten (zero) extents against holes, and shared places.
    /// </summary>
    /// <param name="baseExtents">the base image's extents, sorted, not overlapping.</param>
    /// <param name="targetExtents">the target image's extents, sorted, not overlapping.</param>
    public static IEnumerable<ExtentPiece> Differences(IEnumerable<FileExtent> baseExtents, IEnumerable<FileExtent> targetExtents, long start, long end)
    {
        ExtentPiece? pending = null;
        foreach (var piece in Pieces(baseExtents, targetExtents, start, end))
        {
            if (pending is { } p && p.Verdict == piece.Verdict && p.Range.End == piece.Range.Offset)
            {
                pending = p with { Range = ByteRange.FromTo(p.Range.Offset, piece.Range.End) };
                continue;
            }
            if (pending is { } done)
                yield return done;
            pending = piece;
        }
        if (pending is { } last)
            yield return last;
    }

    private static IEnumerable<ExtentPiece> Pieces(IEnumerable<FileExtent> baseExtents, IEnumerable<FileExtent> targetExtents, long start, long end)
    {
        using var b = new ExtentCursor(baseExtents);
        using var t = new ExtentCursor(targetExtents);
        var position = start;
        while (position < end)
        {
            var inBase = b.At(position);
            var inTarget = t.At(position);
            var next = Math.Min(end, Math.Min(b.NextBoundary(position), t.NextBoundary(position)));
            if (Judge(inBase, inTarget, position) is { } verdict)
                yield return new ExtentPiece(ByteRange.FromTo(position, next), verdict);
            position = next;
        }
    }

    /// <summary>Null when the range is provably equal in both images.</summary>
    private static ExtentVerdict? Judge(FileExtent? inBase, FileExtent? inTarget, long position)
    {
        var baseZeros = inBase is null || inBase.Value.Unwritten;
        var targetZeros = inTarget is null || inTarget.Value.Unwritten;
        if (baseZeros && targetZeros)
            return null;
        if (inBase is not { } b || inTarget is not { } t)
            return ExtentVerdict.Changed;
        if (b.LocationUncertain || t.LocationUncertain)
            return ExtentVerdict.Compare;
        return b.Physical + (position - b.Logical) == t.Physical + (position - t.Logical) ? null : ExtentVerdict.Changed;
    }

    /// <summary>Walks one image's extents forward as the position advances.</summary>
    private sealed class ExtentCursor(IEnumerable<FileExtent> extents) : IDisposable
    {
        private readonly IEnumerator<FileExtent> _extents = extents.GetEnumerator();
        private FileExtent? _current;
        private bool _started;
        private bool _done;

        /// <summary>The extent holding <paramref name="position"/>, or null inside a hole.</summary>
        public FileExtent? At(long position)
        {
            SkipBefore(position);
            return _current is { } c && c.Logical <= position ? c : null;
        }

        /// <summary>Where the answer of <see cref="At"/> may next change: the end of the extent or of the hole.</summary>
        public long NextBoundary(long position)
        {
            SkipBefore(position);
            if (_current is not { } c)
                return long.MaxValue;
            return c.Logical <= position ? c.End : c.Logical;
        }

        public void Dispose() => _extents.Dispose();

        private void SkipBefore(long position)
        {
            if (!_started)
            {
                _started = true;
                Advance();
            }
            while (!_done && _current is { } c && c.End <= position)
                Advance();
        }

        private void Advance()
        {
            if (_extents.MoveNext())
            {
                _current = _extents.Current;
                return;
            }
            _current = null;
            _done = true;
        }
    }
}
