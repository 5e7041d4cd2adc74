using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Snapshots;

/// <summary>Snapshot records across all pools. Callers hold the snapshot's lock for writes.</summary>
public sealed class SnapshotStore(PoolSet pools, IDurableFiles files)
    : RecordStore<SnapshotRecord, StoredSnapshot>(
        pools, files, ResourceKind.Snapshot, StorageJson.Default.SnapshotRecord, NoTally<StoredSnapshot>.Instance)
{
    public static ResourceId Id(SnapshotRecord record) => ParseStored(record.Id, ResourceKind.Snapshot);

    protected override string Noun => "snapshot";

    protected override StoredSnapshot Pair(Pool pool, SnapshotRecord record) => new(pool, record);

    protected override ResourceId IdOf(SnapshotRecord record) => Id(record);
}
