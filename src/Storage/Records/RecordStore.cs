using System.Text.Json.Serialization.Metadata;
using Loam.Storage.Os;
using Loam.Storage.Pools;

namespace Loam.Storage.Records;

/// <summary>
/// Records of one kind across all pools, each found in whichever pool holds it. Callers
/// hold the resource's lock for writes. <typeparamref name="TStored"/> pairs a record with its pool.
/// Single records are read from disk; lists, counts and sums come from <see cref="Index"/>,
/// which every save and delete here keeps equal to the disk.
/// </summary>
public abstract class RecordStore<TRecord, TStored>
    where TRecord : class
    where TStored : class
{
    private readonly PoolSet _pools;
    private readonly ResourceKind _kind;
    private readonly JsonTypeInfo<TRecord> _json;
    private readonly IDurableFiles _files;

    protected RecordStore(
        PoolSet pools, IDurableFiles files, ResourceKind kind, JsonTypeInfo<TRecord> json, IRecordTally<TStored> tally)
    {
        _pools = pools;
        _files = files;
        _kind = kind;
        _json = json;
        Index = new RecordIndex<TStored>(ReadAll, tally);
    }

    public PoolSet Pools => _pools;

    /// <summary>Where this store's records are written durably; other records of the same pools go there too.</summary>
    public IDurableFiles Files => _files;

    /// <summary>Every record in memory, for lists, counts and sums without reading the disk.</summary>
    public RecordIndex<TStored> Index { get; }

    public TStored? Find(ResourceId id)
    {
        foreach (var pool in _pools)
        {
            if (RecordFile.Read(pool.RecordPath(id), _json) is { } record)
                return Pair(pool, record);
        }
        return null;
    }

    /// <summary>Finds a record by the CO's raw ID; an ID Loam never issues is simply not found.</summary>
    public TStored? Find(string? rawId) =>
        ResourceId.TryParse(rawId, _kind, out var id) ? Find(id) : null;

    public TStored Get(string rawId) =>
        Find(rawId) ?? throw StorageException.NotFound($"{Noun} {rawId} does not exist");

    /// <summary>Commits the record durably, then shows it in the index.</summary>
    public void Save(Pool pool, TRecord record)
    {
        var id = IdOf(record);
        RecordFile.Write(_files, pool.RecordPath(id), record, _json);
        Index.Put(id, Pair(pool, record));
    }

    /// <summary>Removes the record: from here on the resource does not exist.</summary>
    public void DeleteRecord(Pool pool, ResourceId id)
    {
        _files.Delete(pool.RecordPath(id));
        Index.Remove(id);
    }

    /// <summary>All IDs on disk in all pools, in ordinal order (the order pagination walks).</summary>
    public IReadOnlyList<ResourceId> ListIds() => PoolListing.Ids(_pools, _kind);

    /// <summary>What the CO calls this kind of thing, for messages.</summary>
    protected abstract string Noun { get; }

    protected abstract TStored Pair(Pool pool, TRecord record);

    protected abstract ResourceId IdOf(TRecord record);

    /// <summary>Parses the ID a record holds; a malformed one means the pool was tampered with.</summary>
    protected static ResourceId ParseStored(string value, ResourceKind kind) =>
        ResourceId.TryParse(value, kind, out var id)
            ? id
            : throw StorageException.Internal($"record holds a malformed ID '{value}'");

    // A record that cannot be read, or whose content names another ID than its file, stays out of
    // the index (Find by its ID still reports it); one deleted while listing is simply not there.
    private IEnumerable<KeyValuePair<string, TStored>> ReadAll()
    {
        foreach (var id in ListIds())
        {
            foreach (var pool in _pools)
            {
                TRecord? record;
                try
                {
                    record = RecordFile.Read(pool.RecordPath(id), _json);
                }
                catch (StorageException)
                {
                    continue;
                }
                if (record is not null && TryIdOf(record) == id)
                {
                    yield return new(id.Value, Pair(pool, record));
                    break;
                }
            }
        }
    }

    private ResourceId? TryIdOf(TRecord record)
    {
        try
        {
            return IdOf(record);
        }
        catch (StorageException)
        {
            return null;
        }
    }
}
