using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;
using Loam.Storage.Volumes;

namespace Loam.Storage.Snapshots;

/// <summary>
/// Cuts and deletes snapshots. A snapshot is an image in the source volume's pool (a reflink
/// where the pool shares extents, else a sparse copy) plus its record, the commit point: the
/// image is made first, so a crash leaves at most an image without a record, which the
/// start-up sweep removes. Snapshots are independent of their source: deleting the volume
/// leaves them whole. Callers hold the snapshot's and the source volume's locks.
/// </summary>
public sealed class SnapshotMaker(
    VolumeStore volumes,
    SnapshotStore snapshots,
    IImageCopier copier,
    IImageFiles images,
    VolumeFreezer freezer,
    PoolCapacity capacity,
    AdmissionLocks admission,
    TimeProvider time)
{
    public static ResourceId IdFor(string name) => ResourceId.FromName(ResourceKind.Snapshot, name);

    /// <returns>the new snapshot, or the existing one when the same request is repeated.</returns>
    /// <exception cref="StorageException">AlreadyExists when the name is taken with another source, NotFound for a missing source.</exception>
    public StoredSnapshot Create(string name, string sourceVolumeId)
    {
        var id = IdFor(name);
        if (snapshots.Find(id) is { } existing)
        {
            if (existing.Record.SourceVolumeId != sourceVolumeId || existing.Record.Name != name)
                throw StorageException.AlreadyExists(
                    $"snapshot '{name}' already exists with source volume {existing.Record.SourceVolumeId}, not {sourceVolumeId}");
            return existing;
        }
        var volume = volumes.Get(sourceVolumeId);
        using (freezer.Freeze([volume]))
            return Cut(id, name, volume, groupId: null);
    }

    /// <summary>Copies the volume's image as it is now and commits the record; the caller froze the volume.</summary>
    internal StoredSnapshot Cut(ResourceId id, string name, StoredVolume volume, string? groupId)
    {
        if (volume.Record.Provisioning != Provisioning.Thick)
            return Copy(id, name, volume, groupId);
        // A thick volume keeps its promise after the snapshot only if the pool can hold its blocks twice;
        // that room is held from the check to the record commit, as for a create.
        using var _ = admission.ForPool(volume.Pool.Name);
        capacity.EnsureRoom(volume.Pool, Provisioning.Thick, images.AllocatedBytes(volume.ImagePath));
        return Copy(id, name, volume, groupId);
    }

    private StoredSnapshot Copy(ResourceId id, string name, StoredVolume volume, string? groupId)
    {
        var pool = volume.Pool;
        var image = pool.ImagePath(id);
        // The snapshot's content never changes: its image is read-only on the pool.
        var reflinked = copier.Copy(volume.ImagePath, image, readOnly: true);
        CrashPoints.Reach(CrashPoints.SnapshotImageMade);
        try
        {
            var record = new SnapshotRecord
            {
                Id = id.Value,
                Name = name,
                Pool = pool.Name,
                SourceVolumeId = volume.Id.Value,
                SizeBytes = images.Size(image),
                AllocatedBytes = images.AllocatedBytes(image),
                Reflinked = reflinked,
                GroupId = groupId,
                CreatedAt = time.GetUtcNow(),
            };
            snapshots.Save(pool, record);
            return new StoredSnapshot(pool, record);
        }
        catch
        {
            images.Delete(image);
            throw;
        }
    }

    /// <param name="asGroupMember">true when DeleteVolumeGroupSnapshot removes its members.</param>
    /// <returns>false when there was nothing to delete.</returns>
    /// <exception cref="StorageException">InvalidArgument for a member of a group snapshot that still exists.</exception>
    public bool Delete(ResourceId id, bool asGroupMember = false)
    {
        if (snapshots.Find(id) is not { } snapshot)
        {
            // An image without a record is a half-made snapshot: finish its removal.
            foreach (var pool in snapshots.Pools)
                images.Delete(pool.ImagePath(id));
            return false;
        }
        if (!asGroupMember && snapshot.Record.GroupId is { } groupId && GroupExists(groupId))
            throw StorageException.InvalidArgument($"snapshot {id} is part of group snapshot {groupId}; delete it with DeleteVolumeGroupSnapshot");
        snapshots.DeleteRecord(snapshot.Pool, id);
        images.Delete(snapshot.ImagePath);
        return true;
    }

    private bool GroupExists(string groupId) =>
        ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var id)
        && snapshots.Pools.Any(pool => File.Exists(pool.RecordPath(id)));
}
