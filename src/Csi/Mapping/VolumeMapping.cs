using Csi.V1;
using Loam.Storage;
using Loam.Storage.Records;
using Loam.Storage.Volumes;

namespace Loam.Csi.Mapping;

/// <summary>Stored volumes as the CSI <see cref="Volume"/> message, and content sources both ways.</summary>
public static class VolumeMapping
{
    public const string PoolContextKey = NodeAttachments.PoolContextKey;
    public const string FsTypeContextKey = "loam.csi.dev/fstype";

    public static Volume ToCsi(StoredVolume stored)
    {
        var record = stored.Record;
        var volume = new Volume
        {
            VolumeId = record.Id,
            CapacityBytes = record.CapacityBytes,
            ContentSource = ToCsi(record.Source),
        };
        volume.VolumeContext.Add(PoolContextKey, record.Pool);
        volume.VolumeContext.Add(FsTypeContextKey, record.FsType);
        if (record.Node is { } node)
            volume.AccessibleTopology.Add(TopologyMapping.ToCsi(NodeTopology.ForNode(node)));
        return volume;
    }

    public static VolumeContentSource? ToCsi(ContentSource? source) => source switch
    {
        null => null,
        { Kind: ResourceKind.Snapshot } => new VolumeContentSource { Snapshot = new() { SnapshotId = source.Id } },
        _ => new VolumeContentSource { Volume = new() { VolumeId = source.Id } },
    };

    public static ContentSource? ToSource(VolumeContentSource? source) => source?.TypeCase switch
    {
        null or VolumeContentSource.TypeOneofCase.None => null,
        VolumeContentSource.TypeOneofCase.Snapshot => new ContentSource(ResourceKind.Snapshot, Require.NotEmpty(source.Snapshot.SnapshotId, "volume_content_source.snapshot.snapshot_id")),
        VolumeContentSource.TypeOneofCase.Volume => new ContentSource(ResourceKind.Volume, Require.NotEmpty(source.Volume.VolumeId, "volume_content_source.volume.volume_id")),
        _ => throw StorageException.InvalidArgument("volume_content_source has an unknown type"),
    };
}
