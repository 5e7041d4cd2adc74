using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// statvfs with figures the test chooses: a pool can be made full or read-only at will. Like
/// btrfs and xfs, it can hold freed bytes back until the filesystem is synced, and it can
/// charge the blocks images really occupy in a folder against its free space.
/// </summary>
public sealed class FakeFileSystemSpace : IFileSystemSpace
{
    private long _pendingFree;

    public long TotalBytes { get; set; } = 100L << 30;
    public long AvailableBytes { get; set; } = 50L << 30;
    public bool ReadOnly { get; set; }
    public bool Broken { get; set; }
    public int Syncs { get; private set; }

    /// <summary>
    /// When set, the blocks of the files below this folder are subtracted from <see cref="AvailableBytes"/>.
    /// </summary>
    public string? ChargedFolder { get; set; }

    /// <summary>Bytes a delete freed that <see cref="Query"/> counts as used until <see cref="Sync"/>.</summary>
    public long PendingFreeBytes
    {
        get => Interlocked.Read(ref _pendingFree);
        set => Interlocked.Exchange(ref _pendingFree, value);
    }

    public SpaceInfo Query(string path)
    {
        if (Broken)
            throw new IOException($"statvfs {path}: EIO");
        var available = AvailableBytes - PendingFreeBytes - Charged();
        return new SpaceInfo(TotalBytes, available, available, 1_000_000, 900_000, ReadOnly);
    }

    public void Sync(string path)
    {
        if (Broken)
            throw new IOException($"syncfs {path}: EIO");
        Syncs++;
        PendingFreeBytes = 0;
    }

    private long Charged()
    {
        if (ChargedFolder is null || !Directory.Exists(ChargedFolder))
            return 0;
        var images = new ImageFiles();
        var used = 0L;
        foreach (var file in Directory.EnumerateFiles(ChargedFolder, "*", SearchOption.AllDirectories))
        {
            try
            {
                used += images.AllocatedBytes(file);
            }
            catch (IOException)
            {
                // Deleted while counting.
            }
        }
        return used;
    }
}
