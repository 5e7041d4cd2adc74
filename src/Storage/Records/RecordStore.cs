using System.Text.Json.Serialization.Metadata;
using Loam.Storage.Os;
using Loam.Storage.Pools;

namespace Loam.Storage.Records;

/// <summary>
/// Records of one kind across all pools, each found in whichever pool holds it. Callers
/// hold the resource's lock for writes. <typeparamref name="TStored"/> pairs a record with its pool.
/// </summary>
public abstract class RecordStore<TRecord, TStored>(PoolSet pools, ResourceKind kind, JsonTypeInfo<TRecord> json)
    where TRecord : class
    where TStored : class
{
    public PoolSet Pools => pools;

    public TStored? Find(ResourceId id)
    {
        foreach (var pool in pools)
        {
            if (RecordFile.Read(pool.RecordPath(id), json) is { } record)
                return Pair(pool, record);
        }
        return null;
    }

    /// <summary>Finds a record by the CO's raw ID; an ID Loam never issues is simply not found.</summary>
    public TStored? Find(string? rawId) =>
        ResourceId.TryParse(rawId, kind, out var id) ? Find(id) : null;

    public TStored Get(string rawId) =>
        Find(rawId) ?? throw StorageException.NotFound($"{Noun} {rawId} does not exist");

    public void Save(Pool pool, TRecord record) => RecordFile.Write(pool.RecordPath(IdOf(record)), record, json);

    /// <summary>Removes the record: from here on the resource does not exist.</summary>
    public static void DeleteRecord(Pool pool, ResourceId id) => DurableFile.Delete(pool.RecordPath(id));

    /// <summary>All IDs in all pools, in ordinal order (the order pagination walks).</summary>
    public IReadOnlyList<ResourceId> ListIds() => PoolListing.Ids(pools, kind);

    /// <summary>Every record; one deleted while listing is skipped.</summary>
    public IEnumerable<TStored> All()
    {
        foreach (var id in ListIds())
        {
            if (Find(id) is { } stored)
                yield return stored;
        }
    }

    /// <summary>What the CO calls this kind of thing, for messages.</summary>
    protected abstract string Noun { get; }

    protected abstract TStored Pair(Pool pool, TRecord record);

    protected abstract ResourceId IdOf(TRecord record);

    /// <summary>Parses the ID a record holds; a malformed one means the pool was tampered with.</summary>
    protected static ResourceId ParseStored(string value, ResourceKind kind) =>
        ResourceId.TryParse(value, kind, out var id) ? id : throw StorageException.Internal($"record holds a malformed ID '{value}'");
}
