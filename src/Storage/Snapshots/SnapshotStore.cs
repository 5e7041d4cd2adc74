using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Snapshots;

/// <summary>Snapshot records across all pools. Callers hold the snapshot's lock for writes.</summary>
public sealed class SnapshotStore(PoolSet pools)
{
    public PoolSet Pools => pools;

    /// <summary>Finds a snapshot in whichever pool holds its record.</summary>
    public StoredSnapshot? Find(ResourceId id)
    {
        foreach (var pool in pools)
        {
            if (RecordFile.Read(pool.RecordPath(id), StorageJson.Default.SnapshotRecord) is { } record)
                return new StoredSnapshot(pool, record);
        }
        return null;
    }

    /// <summary>Finds a snapshot by the CO's raw ID; an ID Loam never issues is simply not found.</summary>
    public StoredSnapshot? Find(string? snapshotId) =>
        ResourceId.TryParse(snapshotId, ResourceKind.Snapshot, out var id) ? Find(id) : null;

    public StoredSnapshot Get(string snapshotId) =>
        Find(snapshotId) ?? throw StorageException.NotFound($"snapshot {snapshotId} does not exist");

    public void Save(Pool pool, SnapshotRecord record) =>
        RecordFile.Write(pool.RecordPath(Id(record)), record, StorageJson.Default.SnapshotRecord);

    /// <summary>Removes the record: from here on the snapshot does not exist.</summary>
    public static void DeleteRecord(Pool pool, ResourceId id) => Os.DurableFile.Delete(pool.RecordPath(id));

    public IReadOnlyList<ResourceId> ListIds() => PoolListing.Ids(pools, ResourceKind.Snapshot);

    /// <summary>Every snapshot; a record deleted while listing is skipped.</summary>
    public IEnumerable<StoredSnapshot> All()
    {
        foreach (var id in ListIds())
        {
            if (Find(id) is { } snapshot)
                yield return snapshot;
        }
    }

    public static ResourceId Id(SnapshotRecord record) =>
        ResourceId.TryParse(record.Id, ResourceKind.Snapshot, out var id) ? id : throw StorageException.Internal($"record holds a malformed snapshot ID '{record.Id}'");
}
