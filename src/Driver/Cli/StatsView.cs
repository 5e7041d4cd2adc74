using Csi.V1;

namespace Loam.Driver.Cli;

/// <summary>NodeGetVolumeStats of one mounted volume: usage per unit (bytes, inodes) and its condition.</summary>
public sealed record StatsView(string VolumeId, string Path, IReadOnlyList<UsageView> Usage, bool Abnormal, string? ConditionMessage)
{
    public static StatsView Of(string volumeId, string path, NodeGetVolumeStatsResponse response) => new(
        volumeId,
        path,
        [.. response.Usage.Select(u => new UsageView(u.Unit == VolumeUsage.Types.Unit.Inodes ? "inodes" : "bytes", u.Total, u.Used, u.Available))],
        response.VolumeCondition?.Abnormal ?? false,
        response.VolumeCondition?.Message);
}

/// <summary>One line of volume usage.</summary>
public sealed record UsageView(string Unit, long Total, long Used, long Available);
