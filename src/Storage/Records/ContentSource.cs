namespace Loam.Storage.Records;

/// <summary>What a volume was made from: a snapshot or another volume, by ID.</summary>
public sealed record ContentSource(ResourceKind Kind, string Id);
