namespace Loam.Storage.Os;

/// <summary>
/// lstat(2) of a path. <see cref="DeviceNumber"/> ("MAJOR:MINOR") is set for a block device
/// node, <see cref="Error"/> when the path is <see cref="PathKind.Unreadable"/>.
/// </summary>
public sealed record PathStatus(PathKind Kind, string? DeviceNumber = null, string? Error = null)
{
    public static PathStatus Missing { get; } = new(PathKind.Missing);

    public bool Exists => Kind != PathKind.Missing;
}
