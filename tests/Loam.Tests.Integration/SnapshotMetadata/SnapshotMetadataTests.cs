using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Integration.SnapshotMetadata;

/// <summary>
/// Allocated and changed ranges of real snapshot images on real pool filesystems: reflinks on
/// xfs and btrfs (compared by extents), sparse copies on ext4 (compared by content).
/// </summary>
public sealed class SnapshotMetadataTests
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long VolumeSize = 64 * MiB;
    private const string VolumeId = "vol-0123456789abcdef0123456789abcdef";

    private static ByteRange R(long offset, long length) => new(offset, length);

    /// <summary>Blocks written before the first snapshot: 64 KiB ones, one 4 KiB, one touching the end.</summary>
    private static readonly ByteRange[] FirstWrites = [R(0, 64 * KiB), R(1 * MiB, 64 * KiB), R(5 * MiB + 4 * KiB, 4 * KiB), R(10 * MiB, 128 * KiB), R(VolumeSize - 64 * KiB, 64 * KiB)];

    /// <summary>Written between the snapshots: one rewrite inside an old extent, one new block, one beside an old one.</summary>
    private static readonly ByteRange[] SecondWrites = [R(10 * MiB + 32 * KiB, 16 * KiB), R(20 * MiB, 64 * KiB), R(1 * MiB + 64 * KiB, 4 * KiB), R(37 * 4 * KiB, 4 * KiB)];

    private sealed record World(TestRoot Root, Pool Pool, HandMadeSnapshots Snapshots, string Volume, string FsType) : IDisposable
    {
        public SnapshotMetadataReader Reader(SnapshotMetadataOptions? options = null) => new(Snapshots.Store, new FileExtents(), options ?? new SnapshotMetadataOptions());

        public void Dispose() => Root.Dispose();
    }

    /// <summary>Writes <see cref="FirstWrites"/>, snapshots, writes <see cref="SecondWrites"/>, snapshots again.</summary>
    private static (string First, string Second) TwoSnapshots(World world, string fsType)
    {
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var first = world.Snapshots.Take(world.Volume, VolumeId, fsType);
        VolumeWriter.Write(world.Volume, SecondWrites, ref pattern);
        return (first, world.Snapshots.Take(world.Volume, VolumeId, fsType));
    }

    private static World Make(string fsType)
    {
        var root = new TestRoot("meta-" + fsType);
        try
        {
            var fs = PoolFilesystem.Create(root, fsType, 512 * MiB);
            var pool = new Pool(new PoolOptions("default", Path.Combine(fs.MountPoint, "pool")));
            pool.EnsureLayout();
            var volume = Path.Combine(pool.VolumesDirectory, VolumeId + ".img");
            VolumeWriter.Create(volume, VolumeSize);
            return new World(root, pool, new HandMadeSnapshots(pool), volume, fsType);
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    private static List<ByteRange> All(MetadataStream stream)
    {
        using (stream)
            return [.. stream.Pages.SelectMany(p => p)];
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    [InlineData("ext4")]
    public void Allocated_is_exactly_the_blocks_written(string fsType)
    {
        using var world = Make(fsType);
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var snapshot = world.Snapshots.Take(world.Volume, VolumeId, fsType);

        var allocated = All(world.Reader().Allocated(snapshot, 0, 0));

        Assert.Equal(FirstWrites.OrderBy(r => r.Offset), allocated);
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    [InlineData("ext4")]
    public void Delta_is_exactly_the_blocks_written_between_the_snapshots(string fsType)
    {
        using var world = Make(fsType);
        var (first, second) = TwoSnapshots(world, fsType);

        var delta = All(world.Reader().Delta(first, second, 0, 0));

        Assert.Equal(Ranges.Merge(SecondWrites.OrderBy(r => r.Offset)), delta);
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public void Extent_and_content_comparison_agree_on_reflinks(string fsType)
    {
        using var world = Make(fsType);
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var reflinkBase = world.Snapshots.Take(world.Volume, VolumeId, fsType, reflink: true);
        var copyBase = world.Snapshots.Take(world.Volume, VolumeId, fsType, reflink: false);
        VolumeWriter.Write(world.Volume, SecondWrites, ref pattern);
        var reflinkTarget = world.Snapshots.Take(world.Volume, VolumeId, fsType, reflink: true);
        var copyTarget = world.Snapshots.Take(world.Volume, VolumeId, fsType, reflink: false);

        var byExtents = All(world.Reader().Delta(reflinkBase, reflinkTarget, 0, 0));
        var byContent = All(world.Reader().Delta(copyBase, copyTarget, 0, 0));

        Assert.NotEmpty(byExtents);
        Assert.Equal(byContent, byExtents);
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public void Reflinked_snapshots_are_told_apart_by_their_extents_alone(string fsType)
    {
        using var world = Make(fsType);
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var first = world.Snapshots.Store.Find(world.Snapshots.Take(world.Volume, VolumeId, fsType))!;
        VolumeWriter.Write(world.Volume, SecondWrites, ref pattern);
        var second = world.Snapshots.Store.Find(world.Snapshots.Take(world.Volume, VolumeId, fsType))!;
        var files = new FileExtents();
        using var baseImage = files.Open(first.ImagePath);
        using var targetImage = files.Open(second.ImagePath);

        var pieces = ExtentComparison.Differences(baseImage.Extents(0), targetImage.Extents(0), 0, VolumeSize).ToList();

        Assert.True(baseImage.MapsExtents);
        Assert.Contains(baseImage.Extents(0), e => (e.Flags & ExtentFlags.Shared) != 0);
        Assert.All(pieces, p => Assert.Equal(ExtentVerdict.Changed, p.Verdict));
        Assert.Equal(Ranges.Merge(SecondWrites.OrderBy(r => r.Offset)), Ranges.Merge(pieces.Select(p => p.Range)));
    }

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("ext4")]
    public void Resuming_at_a_starting_offset_continues_where_an_interrupted_stream_stopped(string fsType)
    {
        using var world = Make(fsType);
        var (first, second) = TwoSnapshots(world, fsType);

        var whole = All(world.Reader().Delta(first, second, 0, 0));
        using var stream = world.Reader().Delta(first, second, 0, 2);
        var received = stream.Pages.First();
        var rest = All(world.Reader().Delta(first, second, received[^1].End, 2));

        Assert.Equal(whole, received.Concat(rest));
    }

    [RootFact]
    public void Fixed_style_reports_aligned_blocks_covering_every_written_byte()
    {
        using var world = Make("xfs");
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var snapshot = world.Snapshots.Take(world.Volume, VolumeId, "xfs");

        var blocks = All(world.Reader(new SnapshotMetadataOptions { Style = RangeStyle.Fixed, FixedBlockSize = 64 * 1024 }).Allocated(snapshot, 0, 0));

        Assert.All(blocks, b => Assert.Equal(0, b.Offset % (64 * KiB)));
        Assert.All(blocks, b => Assert.Equal(64 * KiB, b.Length));
        Assert.Equal([0, 1 * MiB, 5 * MiB, 10 * MiB, 10 * MiB + 64 * KiB, VolumeSize - 64 * KiB], blocks.Select(b => b.Offset));
    }

    [RootFact]
    public void A_snapshot_deleted_while_streaming_is_still_read_whole()
    {
        using var world = Make("xfs");
        byte pattern = 0;
        VolumeWriter.Write(world.Volume, FirstWrites, ref pattern);
        var snapshot = world.Snapshots.Take(world.Volume, VolumeId, "xfs");

        using var stream = world.Reader().Allocated(snapshot, 0, 1);
        using var pages = stream.Pages.GetEnumerator();
        Assert.True(pages.MoveNext());
        var received = pages.Current.ToList();
        var stored = world.Snapshots.Store.Find(snapshot)!;
        File.Delete(stored.ImagePath);
        File.Delete(world.Pool.RecordPath(stored.Id));
        while (pages.MoveNext())
            received.AddRange(pages.Current);

        Assert.Equal(FirstWrites.OrderBy(r => r.Offset), received);
    }

    [RootFact]
    public void A_filesystem_without_extent_maps_says_so()
    {
        using var root = new TestRoot("meta-tmpfs");
        var mount = root.Folder("tmpfs");
        Shell.Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount);
        var image = Path.Combine(mount, "image");
        VolumeWriter.Create(image, 1 << 20);

        using var reader = new FileExtents().Open(image);

        Assert.False(reader.MapsExtents);
    }
}
