using Loam.Storage;
using Loam.Storage.Os;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Integration.Os;

/// <summary>The image copier and the filesystem freezer against the real kernel, on pool filesystems made inside the test.</summary>
public sealed class SnapshotSeamsTests
{
    private readonly ImageCopier _copier = new(NullLogger<ImageCopier>.Instance);

    private static string ImageWithData(PoolFilesystem pool, long size, byte[] data, long offset)
    {
        var image = Path.Combine(pool.MountPoint, "source.img");
        using var stream = new FileStream(image, FileMode.Create, FileAccess.Write);
        stream.SetLength(size);
        stream.Position = offset;
        stream.Write(data);
        stream.Flush(flushToDisk: true);
        return image;
    }

    [RootTheory]
    [InlineData("xfs", true)]
    [InlineData("btrfs", true)]
    [InlineData("ext4", false)]
    public void Copy_reflinks_where_the_pool_shares_extents_and_otherwise_copies_only_the_data(string poolFs, bool reflinks)
    {
        using var root = new TestRoot("copier");
        var pool = PoolFilesystem.Create(root, poolFs, 1L << 30);
        var data = new byte[3 << 20];
        Random.Shared.NextBytes(data);
        var source = ImageWithData(pool, 256L << 20, data, offset: 100L << 20);
        var target = Path.Combine(pool.MountPoint, "copy.img");

        var reflinked = _copier.Copy(source, target, readOnly: true);

        Assert.Equal(reflinks, reflinked);
        Assert.Equal(256L << 20, new FileInfo(target).Length);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        var filefrag = Shell.Run("filefrag", "-v", target);
        Assert.Equal(reflinks, filefrag.Contains("shared", StringComparison.Ordinal));
        var allocated = long.Parse(Shell.Run("stat", "-c", "%b", target).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;
        Assert.InRange(allocated, data.Length, data.Length + (1L << 20));
        Assert.Equal("440", Shell.Run("stat", "-c", "%a", target).Trim());
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public void A_copy_without_reflink_shares_nothing_even_where_the_pool_could(string poolFs)
    {
        using var root = new TestRoot("copier-own");
        var pool = PoolFilesystem.Create(root, poolFs, 1L << 30);
        var data = new byte[2 << 20];
        Random.Shared.NextBytes(data);
        var source = ImageWithData(pool, 64L << 20, data, offset: 4L << 20);
        var target = Path.Combine(pool.MountPoint, "owned.img");

        Assert.False(_copier.Copy(source, target, readOnly: false, reflink: false));

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        Assert.DoesNotContain("shared", Shell.Run("filefrag", "-v", target), StringComparison.Ordinal);
    }

    [RootFact]
    public void A_copy_across_filesystems_falls_back_to_a_sparse_copy()
    {
        using var root = new TestRoot("copier-x");
        var from = PoolFilesystem.Create(root, "xfs", 1L << 30, "from");
        var to = PoolFilesystem.Create(root, "ext4", 512L << 20, "to");
        var data = new byte[1 << 20];
        Random.Shared.NextBytes(data);
        var source = ImageWithData(from, 64L << 20, data, offset: 8L << 20);
        var target = Path.Combine(to.MountPoint, "copy.img");

        Assert.False(_copier.Copy(source, target, readOnly: false));

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
    }

    [RootFact]
    public async Task Freeze_holds_writers_until_thaw_and_thaw_of_a_thawed_filesystem_is_harmless()
    {
        using var root = new TestRoot("freeze");
        var fs = PoolFilesystem.Create(root, "ext4", 256L << 20);
        var freezer = new FileSystemFreezer();

        freezer.Freeze(fs.MountPoint);
        Task write;
        try
        {
            write = Task.Run(() => File.WriteAllText(Path.Combine(fs.MountPoint, "held.txt"), "written after thaw"));
            await Task.Delay(500);
            Assert.False(write.IsCompleted, "a write to a frozen filesystem should wait for the thaw");
        }
        finally
        {
            freezer.Thaw(fs.MountPoint);
        }
        await write;
        freezer.Thaw(fs.MountPoint);

        Assert.Equal("written after thaw", await File.ReadAllTextAsync(Path.Combine(fs.MountPoint, "held.txt")));
    }

    [RootFact]
    public void Freeze_of_a_path_that_is_not_a_mount_fails_with_a_message()
    {
        using var root = new TestRoot("freeze-bad");

        var e = Assert.Throws<StorageException>(() => new FileSystemFreezer().Freeze(Path.Combine(root.Path, "missing")));

        Assert.Equal(StorageError.Unavailable, e.Error);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }
}
