namespace Loam.Storage.Os;

/// <summary>One line of /proc/self/mountinfo, unescaped.</summary>
public sealed record MountInfo(
    int MountId,
    int ParentId,
    string Device,
    string Root,
    string MountPoint,
    IReadOnlyList<string> MountOptions,
    string FsType,
    string Source,
    IReadOnlyList<string> SuperOptions)
{
    /// <summary>
    /// Read-only either per mount (bind remount ro) or for the whole superblock: "ro", or
    /// "emergency_ro", which Linux 6.6+ ext4 shows when errors=remount-ro fired.
    /// </summary>
    public bool ReadOnly => MountOptions.Contains("ro") || SuperOptions.Contains("ro") || SuperOptions.Contains("emergency_ro");
}
