namespace Loam.Storage.Records;

/// <summary>A group snapshot: the snapshots of several volumes taken while all were frozen together.</summary>
public sealed record GroupSnapshotRecord
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Pool { get; init; }
    public required IReadOnlyList<string> SnapshotIds { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
