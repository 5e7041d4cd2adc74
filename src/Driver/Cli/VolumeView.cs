using System.Text.Json.Serialization;
using Csi.V1;
using Loam.Client;

namespace Loam.Driver.Cli;

/// <summary>A CSI volume as the CLI prints it (JSON fields in snake_case, as in the spec).</summary>
public sealed record VolumeView(
    string VolumeId,
    long CapacityBytes,
    string? SourceSnapshotId,
    string? SourceVolumeId,
    IReadOnlyDictionary<string, string> VolumeContext,
    IReadOnlyList<IReadOnlyDictionary<string, string>> AccessibleTopology,
    IReadOnlyList<string> PublishedNodeIds,
    bool Abnormal,
    string? ConditionMessage)
{
    public static VolumeView Of(VolumeInfo info) => Of(info.Volume, info.PublishedNodeIds, info.Condition);

    public static VolumeView Of(Volume volume, IReadOnlyList<string>? publishedNodeIds = null, VolumeCondition? condition = null) => new(
        volume.VolumeId,
        volume.CapacityBytes,
        volume.ContentSource?.Snapshot?.SnapshotId,
        volume.ContentSource?.Volume?.VolumeId,
        new Dictionary<string, string>(volume.VolumeContext),
        [.. volume.AccessibleTopology.Select(t => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(t.Segments))],
        publishedNodeIds ?? [],
        condition?.Abnormal ?? false,
        condition?.Message);

    [JsonIgnore]
    public string Source => SourceSnapshotId ?? SourceVolumeId ?? "-";
}
