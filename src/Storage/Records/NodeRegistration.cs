namespace Loam.Storage.Records;

/// <summary>
/// A node's entry in a shared pool, written by the node plugin at start, so that a
/// controller elsewhere knows the node exists and how many volumes it may attach.
/// </summary>
public sealed record NodeRegistration(string NodeId, int MaxVolumes, DateTimeOffset RegisteredAt);
