using Loam.Storage.Volumes;

namespace Loam.Storage.Records;

/// <summary>A ControllerPublish that succeeded: the volume is attached to this node in this way.</summary>
public sealed record Attachment(string NodeId, bool ReadOnly, AccessMode Mode);
