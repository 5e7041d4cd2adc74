using Csi.V1;
using Google.Protobuf.WellKnownTypes;
using Loam.Storage;
using Loam.Storage.Snapshots;

namespace Loam.Csi.Mapping;

/// <summary>Stored snapshots and group snapshots as their CSI messages.</summary>
public static class SnapshotMapping
{
    private const string CoPrefix = "csi.storage.k8s.io/";

    /// <summary>
    /// size_bytes is what a volume restored from the snapshot needs (the source image's length);
    /// ready_to_use is true because a snapshot's record exists only once its image is whole.
    /// </summary>
    public static Snapshot ToCsi(StoredSnapshot stored) => new()
    {
        SnapshotId = stored.Record.Id,
        SourceVolumeId = stored.Record.SourceVolumeId,
        SizeBytes = stored.Record.SizeBytes,
        CreationTime = Timestamp.FromDateTimeOffset(stored.Record.CreatedAt),
        ReadyToUse = true,
        GroupSnapshotId = stored.Record.GroupId ?? "",
    };

    public static VolumeGroupSnapshot ToCsi(StoredGroupSnapshot stored)
    {
        var group = new VolumeGroupSnapshot
        {
            GroupSnapshotId = stored.Record.Id,
            CreationTime = Timestamp.FromDateTimeOffset(stored.Record.CreatedAt),
            ReadyToUse = stored.Members.Count == stored.Record.SnapshotIds.Count,
        };
        group.Snapshots.Add(stored.Members.Select(ToCsi));
        return group;
    }

    /// <summary>Snapshot classes carry no parameters of Loam's; the CO's own keys pass through.</summary>
    public static void ValidateParameters(IDictionary<string, string> parameters, string field)
    {
        foreach (var key in parameters.Keys)
        {
            if (!key.StartsWith(CoPrefix, StringComparison.Ordinal))
                throw StorageException.InvalidArgument($"{field}: '{key}' is not supported (snapshots take no parameters)");
        }
    }
}
