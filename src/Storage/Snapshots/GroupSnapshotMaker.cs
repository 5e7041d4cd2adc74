using Loam.Storage.Records;
using Loam.Storage.Volumes;

namespace Loam.Storage.Snapshots;

/// <summary>
/// Group snapshots: every member volume is frozen, then each is copied, then all are
/// thawed, so the members hold one point in time. Member snapshots live in their source
/// volume's pool and carry the group's ID; the group record (in the first member's pool)
/// is the commit point, written last and removed last. A member's ID derives from the group
/// name and its volume, so a retried create finds and replaces the leftovers of a failed one.
/// Callers hold the group's lock and every member volume's lock.
/// </summary>
public sealed class GroupSnapshotMaker(
    VolumeStore volumes,
    SnapshotStore snapshots,
    SnapshotMaker maker,
    VolumeFreezer freezer,
    TimeProvider time)
{
    public static ResourceId IdFor(string name) => ResourceId.FromName(ResourceKind.GroupSnapshot, name);

    /// <summary>
    /// A member's name joins the group's name and its volume with U+001F, a control character
    /// no CO name may hold, so that no snapshot the CO names can ever take a member's ID.
    /// </summary>
    public static string MemberName(string groupName, string volumeId) => $"{groupName}\u001f{volumeId}";

    public static ResourceId MemberId(string groupName, string volumeId) => SnapshotMaker.IdFor(MemberName(groupName, volumeId));

    /// <returns>the group and its members, new or (for a repeated request) existing.</returns>
    /// <exception cref="StorageException">AlreadyExists when the name is taken with other volumes, NotFound for a missing volume.</exception>
    public StoredGroupSnapshot Create(string name, IReadOnlyCollection<string> sourceVolumeIds)
    {
        var id = IdFor(name);
        var wanted = sourceVolumeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (Find(id) is { } existing)
        {
            var memberIds = wanted.Select(v => MemberId(name, v).Value).ToHashSet(StringComparer.Ordinal);
            if (existing.Record.Name != name || !memberIds.SetEquals(existing.Record.SnapshotIds))
                throw StorageException.AlreadyExists($"group snapshot '{name}' already exists with other source volumes");
            return existing;
        }

        var sources = wanted.Select(volumes.Get).ToList();
        var members = new List<StoredSnapshot>();
        try
        {
            // Leftovers of a create that failed half-way were cut at another instant.
            foreach (var volume in sources)
                maker.Delete(MemberId(name, volume.Id.Value), asGroupMember: true);
            using (freezer.Freeze(sources))
            {
                foreach (var volume in sources)
                    members.Add(maker.Cut(MemberId(name, volume.Id.Value), MemberName(name, volume.Id.Value), volume, id.Value));
            }
            CrashPoints.Reach(CrashPoints.GroupMembersCut);
            var pool = sources[0].Pool;
            var record = new GroupSnapshotRecord
            {
                Id = id.Value,
                Name = name,
                Pool = pool.Name,
                SnapshotIds = [.. members.Select(m => m.Id.Value)],
                CreatedAt = time.GetUtcNow(),
            };
            RecordFile.Write(snapshots.Files, pool.RecordPath(id), record, StorageJson.Default.GroupSnapshotRecord);
            return new StoredGroupSnapshot(pool, record, members);
        }
        catch
        {
            foreach (var member in members)
                maker.Delete(member.Id, asGroupMember: true);
            throw;
        }
    }

    public StoredGroupSnapshot? Find(ResourceId id)
    {
        foreach (var pool in snapshots.Pools)
        {
            if (RecordFile.Read(pool.RecordPath(id), StorageJson.Default.GroupSnapshotRecord) is { } record)
                return new StoredGroupSnapshot(pool, record, [.. record.SnapshotIds.Select(snapshots.Find).OfType<StoredSnapshot>()]);
        }
        return null;
    }

    /// <exception cref="StorageException">NotFound when the group does not exist, InvalidArgument when <paramref name="snapshotIds"/> names other members.</exception>
    public StoredGroupSnapshot Get(string groupId, IReadOnlyCollection<string> snapshotIds)
    {
        var group = (ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var id) ? Find(id) : null)
            ?? throw StorageException.NotFound($"group snapshot {groupId} does not exist");
        EnsureMembers(group, snapshotIds);
        return group;
    }

    /// <summary>Deletes the members, then the group record.</summary>
    /// <returns>false when there was nothing to delete.</returns>
    public bool Delete(ResourceId id, IReadOnlyCollection<string> snapshotIds)
    {
        if (Find(id) is not { } group)
            return false;
        EnsureMembers(group, snapshotIds);
        foreach (var memberId in group.Record.SnapshotIds)
        {
            if (ResourceId.TryParse(memberId, ResourceKind.Snapshot, out var member))
                maker.Delete(member, asGroupMember: true);
        }
        snapshots.Files.Delete(group.Pool.RecordPath(id));
        return true;
    }

    /// <summary>An empty list checks nothing; a list that differs from the members is refused.</summary>
    private static void EnsureMembers(StoredGroupSnapshot group, IReadOnlyCollection<string> snapshotIds)
    {
        if (snapshotIds.Count > 0 && !snapshotIds.ToHashSet(StringComparer.Ordinal).SetEquals(group.Record.SnapshotIds))
            throw StorageException.InvalidArgument(
                $"snapshot_ids do not match the members of group snapshot {group.Record.Id} ({string.Join(", ", group.Record.SnapshotIds)})");
    }
}
