using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Snapshots;

/// <summary>A snapshot record and the pool that holds it.</summary>
public sealed record StoredSnapshot(Pool Pool, SnapshotRecord Record)
{
    public ResourceId Id => SnapshotStore.Id(Record);
    public string ImagePath => Pool.ImagePath(Id);
}
