namespace Loam.Storage;

/// <summary>The filesystems Loam makes, and the smallest device each accepts.</summary>
public static class FileSystemTypes
{
    public const string Ext4 = "ext4";
    public const string Xfs = "xfs";
    public const string Btrfs = "btrfs";

    public static IReadOnlyList<string> Supported { get; } = [Ext4, Xfs, Btrfs];

    /// <summary>Smallest device for a raw block volume (one loop device sector run).</summary>
    public const long MinimumBlockBytes = ByteSize.MiB;

    public static bool IsSupported(string? fsType) => fsType is not null && Supported.Contains(fsType);

    /// <summary>
    /// mkfs refuses smaller devices: xfs under 300 MiB, btrfs around 109 MiB (more in newer
    /// btrfs-progs, hence 128). ext4 works from 1 MiB, but without a journal below 16 MiB.
    /// </summary>
    public static long MinimumBytes(string fsType) => fsType switch
    {
        Xfs => 300 * ByteSize.MiB,
        Btrfs => 128 * ByteSize.MiB,
        _ => 16 * ByteSize.MiB,
    };

    /// <summary>The capability's fs type, or the default when it names none.</summary>
    public static string Resolve(string? requested, string fallback)
    {
        if (string.IsNullOrEmpty(requested))
            return fallback;
        return IsSupported(requested)
            ? requested
            : throw StorageException.InvalidArgument($"fs_type '{requested}' is not supported (supported: {string.Join(", ", Supported)})");
    }
}
