using Csi.V1;

namespace Loam.Driver.Cli;

/// <summary>A CSI snapshot as the CLI prints it.</summary>
public sealed record SnapshotView(string SnapshotId, string SourceVolumeId, long SizeBytes, DateTimeOffset? CreationTime, bool ReadyToUse, string? GroupSnapshotId)
{
    public static SnapshotView Of(Snapshot snapshot) => new(
        snapshot.SnapshotId,
        snapshot.SourceVolumeId,
        snapshot.SizeBytes,
        snapshot.CreationTime?.ToDateTimeOffset(),
        snapshot.ReadyToUse,
        snapshot.GroupSnapshotId is { Length: > 0 } group ? group : null);
}
