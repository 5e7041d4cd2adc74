using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>
/// Volume records across all pools. Callers hold the volume's lock for writes. <see cref="Promises"/>
/// follows the index, so a capacity check reads a pool's sums without scanning every record.
/// </summary>
public sealed class VolumeStore : RecordStore<VolumeRecord, StoredVolume>
{
    private readonly VolumeTotals _totals;

    public VolumeStore(PoolSet pools, IDurableFiles files)
        : this(pools, files, new VolumeTotals())
    {
    }

    private VolumeStore(PoolSet pools, IDurableFiles files, VolumeTotals totals)
        : base(pools, files, ResourceKind.Volume, StorageJson.Default.VolumeRecord, totals) => _totals = totals;

    /// <summary>The promises of one pool: committed records (read first if need be), reservations in flight.</summary>
    public PoolPromises Promises(Pool pool)
    {
        Index.EnsureLoaded();
        return _totals.For(pool.Name);
    }

    /// <inheritdoc cref="VolumeTotals.Reserve"/>
    public ThinReservation Reserve(Pool pool, ResourceId id, long bytes) => _totals.Reserve(pool.Name, id, bytes);

    public static ResourceId Id(VolumeRecord record) => ParseStored(record.Id, ResourceKind.Volume);

    protected override string Noun => "volume";

    protected override StoredVolume Pair(Pool pool, VolumeRecord record) => new(pool, record);

    protected override ResourceId IdOf(VolumeRecord record) => Id(record);
}
