using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>Volume records across all pools. Callers hold the volume's lock for writes.</summary>
public sealed class VolumeStore(PoolSet pools, IDurableFiles files)
    : RecordStore<VolumeRecord, StoredVolume>(pools, files, ResourceKind.Volume, StorageJson.Default.VolumeRecord)
{
    public static ResourceId Id(VolumeRecord record) => ParseStored(record.Id, ResourceKind.Volume);

    protected override string Noun => "volume";

    protected override StoredVolume Pair(Pool pool, VolumeRecord record) => new(pool, record);

    protected override ResourceId IdOf(VolumeRecord record) => Id(record);
}
