using Loam.Storage.Os;

namespace Loam.Storage.Snapshots.Metadata;

/// <summary>A range of two images that the extent comparison could not call equal.</summary>
public readonly record struct ExtentPiece(ByteRange Range, ExtentVerdict Verdict);
