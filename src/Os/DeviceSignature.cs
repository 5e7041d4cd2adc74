namespace Loam.Storage.Os;

/// <summary>
/// What blkid finds on a device: a filesystem, another signature (a partition table, a
/// RAID member, LVM, ...), or nothing at all. Only a blank device may be formatted.
/// </summary>
public sealed record DeviceSignature(string? FileSystemType, string? OtherSignature)
{
    public static DeviceSignature Blank { get; } = new(null, null);

    public bool IsBlank => FileSystemType is null && OtherSignature is null;
}
