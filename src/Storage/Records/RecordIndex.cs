namespace Loam.Storage.Records;

/// <summary>
/// Every record of one kind, in memory, in the ordinal ID order pagination walks. It is read
/// from the pools on first use (the driver loads it at start-up, after the sweep) and changed
/// only by <see cref="RecordStore{TRecord, TStored}"/> right after a record is committed to or
/// removed from disk, so for everything this process writes it holds what the disk holds.
/// The pool on disk stays the truth: a restart rebuilds the index from it. <paramref name="tally"/>
/// follows every change, under the index's lock.
/// </summary>
public sealed class RecordIndex<TStored>(
    Func<IEnumerable<KeyValuePair<string, TStored>>> readAll, IRecordTally<TStored> tally)
    where TStored : class
{
    private readonly Lock _lock = new();
    private SortedList<string, TStored>? _entries;
    // A copy handed to readers; rebuilt on the first read after a change, so readers never lock for long.
    private TStored[]? _view;

    /// <summary>Forgets what it holds and reads every record again.</summary>
    public void Reload()
    {
        lock (_lock)
        {
            _entries = Read();
            _view = null;
        }
    }

    /// <summary>Every entry, in ordinal ID order; the list does not change under the caller.</summary>
    public IReadOnlyList<TStored> Entries()
    {
        lock (_lock)
            return _view ??= [.. Loaded().Values];
    }

    /// <summary>Reads the records now unless they are read already, so that the tally counts them.</summary>
    public void EnsureLoaded()
    {
        lock (_lock)
            Loaded();
    }

    public TStored? Get(ResourceId id)
    {
        lock (_lock)
            return Loaded().GetValueOrDefault(id.Value);
    }

    /// <summary>Called once the record is durable on disk.</summary>
    internal void Put(ResourceId id, TStored stored)
    {
        lock (_lock)
        {
            var entries = Loaded();
            if (entries.TryGetValue(id.Value, out var old))
                tally.Removed(old);
            entries[id.Value] = stored;
            tally.Added(stored);
            _view = null;
        }
    }

    /// <summary>Called once the record's removal is durable on disk.</summary>
    internal void Remove(ResourceId id)
    {
        lock (_lock)
        {
            var entries = Loaded();
            if (entries.TryGetValue(id.Value, out var old) && entries.Remove(id.Value))
            {
                tally.Removed(old);
                _view = null;
            }
        }
    }

    // Loading under the lock orders it with Put and Remove: a commit that lands while the
    // pools are read is applied after the read, whatever the read saw.
    private SortedList<string, TStored> Loaded() => _entries ??= Read();

    private SortedList<string, TStored> Read()
    {
        var entries = new SortedList<string, TStored>(StringComparer.Ordinal);
        foreach (var (id, stored) in readAll())
            entries[id] = stored;
        tally.Clear();
        foreach (var stored in entries.Values)
            tally.Added(stored);
        return entries;
    }
}
