using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;

namespace Loam.Tests.Conformance.SnapshotMetadata;

/// <summary>
/// Snapshots laid into the driver's pool directory by hand, as CreateSnapshot would leave
/// them: a sparse image holding known bytes and its record. Removes what it placed.
/// </summary>
public sealed class PlacedSnapshots(string poolPath) : IDisposable
{
    private readonly Pool _pool = new(new PoolOptions("default", poolPath));
    private readonly List<ResourceId> _placed = [];
    private int _count;

    private readonly SnapshotStore _store = new(new PoolSet([new PoolOptions("default", poolPath)]),
        new DurableFiles(new DirectorySyncs(new PosixDirectoryFsync())));

    /// <summary>A snapshot of <paramref name="volumeId"/> whose image holds byte <c>value</c> over each range.</summary>
    public string Place(string volumeId, long size, params (long Offset, int Length, byte Value)[] writes)
    {
        var id = ResourceId.FromName(ResourceKind.Snapshot, $"placed-{Guid.NewGuid():N}");
        using (var image = new FileStream(_pool.ImagePath(id), FileMode.CreateNew, FileAccess.Write))
        {
            image.SetLength(size);
            foreach (var (offset, length, value) in writes)
            {
                var bytes = new byte[length];
                Array.Fill(bytes, value);
                RandomAccess.Write(image.SafeFileHandle, bytes, offset);
            }
            image.Flush(flushToDisk: true);
        }
        _placed.Add(id);
        _store.Save(_pool, new SnapshotRecord
        {
            Id = id.Value, Name = id.Value, Pool = _pool.Name, SourceVolumeId = volumeId, SizeBytes = size,
            CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(++_count),
        });
        return id.Value;
    }

    public void Remove(string snapshotId)
    {
        if (!ResourceId.TryParse(snapshotId, ResourceKind.Snapshot, out var id))
            return;
        File.Delete(_pool.RecordPath(id));
        File.Delete(_pool.ImagePath(id));
    }

    public void Dispose()
    {
        foreach (var id in _placed)
            Remove(id.Value);
    }
}
