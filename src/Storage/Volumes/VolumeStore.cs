using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>Volume records across all pools. Callers hold the volume's lock for writes.</summary>
public sealed class VolumeStore(PoolSet pools)
{
    public PoolSet Pools => pools;

    /// <summary>Finds a volume in whichever pool holds its record.</summary>
    public StoredVolume? Find(ResourceId id)
    {
        foreach (var pool in pools)
        {
            if (RecordFile.Read(pool.RecordPath(id), StorageJson.Default.VolumeRecord) is { } record)
                return new StoredVolume(pool, record);
        }
        return null;
    }

    /// <summary>Finds a volume by the CO's raw ID; an ID Loam never issues is simply not found.</summary>
    public StoredVolume? Find(string? volumeId) =>
        ResourceId.TryParse(volumeId, ResourceKind.Volume, out var id) ? Find(id) : null;

    public StoredVolume Get(string volumeId) =>
        Find(volumeId) ?? throw StorageException.NotFound($"volume {volumeId} does not exist");

    public void Save(Pool pool, VolumeRecord record) =>
        RecordFile.Write(pool.RecordPath(Id(record)), record, StorageJson.Default.VolumeRecord);

    /// <summary>Removes the record: from here on the volume does not exist.</summary>
    public static void DeleteRecord(Pool pool, ResourceId id) => Os.DurableFile.Delete(pool.RecordPath(id));

    /// <summary>All volume IDs in all pools, in ordinal order (the order pagination walks).</summary>
    public IReadOnlyList<ResourceId> ListIds() => PoolListing.Ids(pools, ResourceKind.Volume);

    /// <summary>Every volume; a record deleted while listing is skipped.</summary>
    public IEnumerable<StoredVolume> All()
    {
        foreach (var id in ListIds())
        {
            if (Find(id) is { } volume)
                yield return volume;
        }
    }

    public static ResourceId Id(VolumeRecord record) =>
        ResourceId.TryParse(record.Id, ResourceKind.Volume, out var id) ? id : throw StorageException.Internal($"record holds a malformed volume ID '{record.Id}'");
}
