using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>A volume record and the pool that holds it.</summary>
public sealed record StoredVolume(Pool Pool, VolumeRecord Record)
{
    public ResourceId Id => VolumeStore.Id(Record);
    public string ImagePath => Pool.ImagePath(Id);
}
