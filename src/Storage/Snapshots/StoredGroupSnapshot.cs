using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Snapshots;

/// <summary>A group snapshot record, the pool that holds it, and the member snapshots that still exist.</summary>
public sealed record StoredGroupSnapshot(Pool Pool, GroupSnapshotRecord Record, IReadOnlyList<StoredSnapshot> Members)
{
    public ResourceId Id => ResourceId.TryParse(Record.Id, ResourceKind.GroupSnapshot, out var id)
        ? id
        : throw StorageException.Internal($"record holds a malformed group snapshot ID '{Record.Id}'");
}
