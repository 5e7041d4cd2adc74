using System.Runtime.CompilerServices;
using Csi.V1;
using Loam.Csi.Mapping;
using Loam.Storage.Volumes;
using Entry = Csi.V1.ListVolumesResponse.Types.Entry;
using VolumeStatus = Csi.V1.ListVolumesResponse.Types.VolumeStatus;

namespace Loam.Controller;

/// <summary>
/// ListVolumes entries. Whatever the record alone decides (the CSI volume, the published nodes, the
/// image's path) is built once per stored volume and kept as long as that instance lives: records
/// never change in place, every commit puts a new instance in the index, so a cached part is never
/// stale. The image's health is live: one lstat per volume per list.
/// </summary>
public sealed class ListedVolumes(VolumeHealth health)
{
    private static readonly VolumeCondition Healthy = new() { Abnormal = false, Message = "image present and whole" };
    private readonly ConditionalWeakTable<StoredVolume, Listed> _built = new();

    public Entry Entry(StoredVolume volume)
    {
        var listed = _built.GetValue(volume, Build);
        if (health.Problem(listed.ImagePath, volume.Record.CapacityBytes) is not { } problem)
            return listed.HealthyEntry;
        var status = new VolumeStatus { VolumeCondition = new VolumeCondition { Abnormal = true, Message = problem } };
        status.PublishedNodeIds.Add(listed.HealthyEntry.Status.PublishedNodeIds);
        return new Entry { Volume = listed.HealthyEntry.Volume, Status = status };
    }

    private static Listed Build(StoredVolume volume)
    {
        var status = new VolumeStatus { VolumeCondition = Healthy };
        status.PublishedNodeIds.Add(volume.Record.Attachments.Select(a => a.NodeId));
        return new Listed(volume.ImagePath, new Entry { Volume = VolumeMapping.ToCsi(volume), Status = status });
    }

    // The entry is shared by every response that lists the volume while it is healthy: responses
    // are only serialised, never changed.
    private sealed record Listed(string ImagePath, Entry HealthyEntry);
}
