namespace Loam.Tests.Support;

/// <summary>
/// A real ext4, xfs or btrfs filesystem made in an image file and loop-mounted below a
/// <see cref="TestRoot"/>, for pools that behave as production pools do (reflink on xfs and
/// btrfs, ENOSPC when small). Cleanup is the test root's.
/// </summary>
public sealed class PoolFilesystem
{
    private PoolFilesystem(string fsType, string mountPoint, string imagePath)
    {
        FsType = fsType;
        MountPoint = mountPoint;
        ImagePath = imagePath;
    }

    public string FsType { get; }
    public string MountPoint { get; }
    public string ImagePath { get; }

    /// <param name="size">image size; xfs needs at least 300 MiB, btrfs 110 MiB.</param>
    public static PoolFilesystem Create(TestRoot root, string fsType, long size = 1L << 30, string name = "poolfs")
    {
        var image = root.Combine(name + ".img");
        using (var file = File.Create(image))
            file.SetLength(size);
        var mkfs = fsType switch
        {
            "ext4" => new[] { "-F", "-q", image },
            "xfs" => ["-f", "-q", "-m", "reflink=1", image],
            "btrfs" => ["-f", "-q", image],
            _ => throw new ArgumentException($"unknown fs {fsType}", nameof(fsType)),
        };
        Shell.Run("mkfs." + fsType, mkfs);
        var mountPoint = root.Folder(name);
        Shell.Run("mount", "-o", "loop", image, mountPoint);
        return new PoolFilesystem(fsType, mountPoint, image);
    }
}
