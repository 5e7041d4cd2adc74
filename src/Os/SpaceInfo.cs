namespace Loam.Storage.Os;

/// <summary>statvfs of a filesystem, in bytes and inodes. Available is what an unprivileged writer may still use.</summary>
public sealed record SpaceInfo(long TotalBytes, long FreeBytes, long AvailableBytes, long TotalInodes, long FreeInodes, bool ReadOnly)
{
    public long UsedBytes => TotalBytes - FreeBytes;
    public long UsedInodes => TotalInodes - FreeInodes;
}
