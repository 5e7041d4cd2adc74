using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>
/// Allocated and changed ranges of snapshot images, for the CSI SnapshotMetadata service.
/// Snapshot images are never written, so no lock is taken: a stream reads images it opened
/// before its first message, whatever happens to their names meanwhile.
/// </summary>
public sealed class SnapshotMetadataReader(SnapshotStore snapshots, IFileExtents files, SnapshotMetadataOptions options)
{
    /// <summary>The ranges of the snapshot's image that hold data (SEEK_DATA/SEEK_HOLE).</summary>
    /// <exception cref="StorageException">InvalidArgument, NotFound or OutOfRange, as the CSI spec names them.</exception>
    public MetadataStream Allocated(string? snapshotId, long startingOffset, int maxResults)
    {
        Required(snapshotId, "snapshot_id");
        var results = MaxResults(maxResults);
        var snapshot = Find(snapshotId!, "snapshot_id");
        var capacity = snapshot.Record.SizeBytes;
        CheckOffset(startingOffset, capacity);

        var image = Open(snapshot);
        return Stream(capacity, startingOffset, results, image.Allocated(startingOffset), image);
    }

    /// <summary>
    /// The ranges that differ between two snapshots of one volume. Reflinks of the same source
    /// are compared by physical extents (FIEMAP), falling back to bytes where the layout cannot
    /// tell; other images, and reflinks on a filesystem without FIEMAP (NFS), by content over
    /// the ranges allocated in either.
    /// </summary>
    /// <exception cref="StorageException">InvalidArgument, NotFound or OutOfRange, as the CSI spec names them.</exception>
    public MetadataStream Delta(string? baseSnapshotId, string? targetSnapshotId, long startingOffset, int maxResults, CancellationToken cancellationToken = default)
    {
        Required(baseSnapshotId, "base_snapshot_id");
        Required(targetSnapshotId, "target_snapshot_id");
        var results = MaxResults(maxResults);
        var baseSnapshot = Find(baseSnapshotId!, "base_snapshot_id");
        var target = Find(targetSnapshotId!, "target_snapshot_id");
        if (baseSnapshot.Record.SourceVolumeId != target.Record.SourceVolumeId)
            throw StorageException.InvalidArgument(
                $"base snapshot {baseSnapshotId} is of volume {baseSnapshot.Record.SourceVolumeId} and target snapshot {targetSnapshotId} of volume {target.Record.SourceVolumeId}: both must be snapshots of the same volume");
        if (baseSnapshot.Record.CreatedAt > target.Record.CreatedAt)
            throw StorageException.InvalidArgument(
                $"target snapshot {targetSnapshotId} was taken before base snapshot {baseSnapshotId}: the target must be the later one");
        var capacity = target.Record.SizeBytes;
        CheckOffset(startingOffset, capacity);

        var baseImage = Open(baseSnapshot);
        IExtentReader? targetImage = null;
        try
        {
            targetImage = Open(target);
            var changed = SharesExtents(baseSnapshot, target) && baseImage.MapsExtents && targetImage.MapsExtents
                ? ByExtents(baseImage, targetImage, startingOffset, capacity, cancellationToken)
                : ByContent(baseImage, targetImage, Ranges.Union(baseImage.Allocated(startingOffset), targetImage.Allocated(startingOffset)), capacity, cancellationToken);
            return Stream(capacity, startingOffset, results, changed, baseImage, targetImage);
        }
        catch
        {
            baseImage.Dispose();
            targetImage?.Dispose();
            throw;
        }
    }

    /// <summary>Both are reflinks of the same source in the same pool: their shared blocks are provably equal.</summary>
    private static bool SharesExtents(StoredSnapshot a, StoredSnapshot b) =>
        a.Record.Reflinked && b.Record.Reflinked && a.Pool == b.Pool && a.Record.SourceVolumeId == b.Record.SourceVolumeId;

    private IEnumerable<ByteRange> ByExtents(IExtentReader baseImage, IExtentReader targetImage, long start, long end, CancellationToken cancellationToken)
    {
        foreach (var piece in ExtentComparison.Differences(baseImage.Extents(start), targetImage.Extents(start), start, end))
        {
            if (piece.Verdict == ExtentVerdict.Changed)
            {
                yield return piece.Range;
                continue;
            }
            foreach (var range in ByContent(baseImage, targetImage, [piece.Range], end, cancellationToken))
                yield return range;
        }
    }

    private IEnumerable<ByteRange> ByContent(IExtentReader first, IExtentReader second, IEnumerable<ByteRange> candidates, long end, CancellationToken cancellationToken) =>
        ContentComparison.Differences(first, second, candidates, end, options.CompareBlockSize, options.CompareBufferSize, cancellationToken);

    private MetadataStream Stream(long capacity, long startingOffset, int maxResults, IEnumerable<ByteRange> ranges, params IDisposable[] images)
    {
        var blockSize = MetadataPager.FixedBlockSize(capacity, options.FixedBlockSize);
        var pages = MetadataPager.Pages(ranges, startingOffset, capacity, options.Style, blockSize, maxResults);
        return new MetadataStream(capacity, options.Style, pages, images);
    }

    private StoredSnapshot Find(string snapshotId, string field) =>
        snapshots.Find(snapshotId) ?? throw StorageException.NotFound($"{field}: snapshot {snapshotId} does not exist");

    private IExtentReader Open(StoredSnapshot snapshot)
    {
        try
        {
            return files.Open(snapshot.ImagePath);
        }
        catch (FileNotFoundException)
        {
            // The record goes first when a snapshot is deleted: its image vanishing now means it was just deleted.
            throw StorageException.NotFound($"snapshot {snapshot.Id} does not exist (its image is gone)");
        }
    }

    private int MaxResults(int requested) => requested switch
    {
        < 0 => throw StorageException.InvalidArgument($"max_results is {requested}; it must be 0 (the plugin chooses) or positive"),
        0 => options.DefaultMaxResults,
        _ => Math.Min(requested, options.MaxTuplesPerMessage),
    };

    private static void Required(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
            throw StorageException.InvalidArgument($"{field} is required");
    }

    private static void CheckOffset(long startingOffset, long capacity)
    {
        if (startingOffset < 0)
            throw StorageException.OutOfRange($"starting_offset {startingOffset} is negative");
        if (startingOffset > capacity)
            throw StorageException.OutOfRange($"starting_offset {startingOffset} is beyond the volume's {capacity} bytes");
    }
}
