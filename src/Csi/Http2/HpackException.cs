namespace Loam.Csi.Http2;

/// <summary>A header block that does not decode: the connection is closed.</summary>
public sealed class HpackException(string message) : Exception(message);
