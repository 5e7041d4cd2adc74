using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;
using Loam.Storage.Snapshots.Metadata;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage.Metadata;

public sealed class SnapshotMetadataReaderTests : IDisposable
{
    private const long Size = 1 << 20;
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly StorageHarness _storage = new();
    private readonly FakeFileExtents _files = new();
    private readonly SnapshotStore _snapshots;

    public SnapshotMetadataReaderTests() => _snapshots = new SnapshotStore(_storage.PoolSet, _storage.Files);

    private SnapshotMetadataReader Reader(SnapshotMetadataOptions? options = null) => new(_snapshots, _files, options ?? new SnapshotMetadataOptions());

    private string Snapshot(string name, FakeImage image, string volume = "vol-a", bool reflinked = false, int hour = 0, long size = Size)
    {
        var id = ResourceId.FromName(ResourceKind.Snapshot, name);
        _snapshots.Save(_storage.Pool, new SnapshotRecord
        {
            Id = id.Value, Name = name, Pool = _storage.Pool.Name, SourceVolumeId = volume, SizeBytes = size,
            Reflinked = reflinked, CreatedAt = Monday.AddHours(hour),
        });
        _files.Images[_storage.Pool.ImagePath(id)] = image;
        return id.Value;
    }

    private static List<ByteRange> All(MetadataStream stream) => [.. stream.Pages.SelectMany(p => p)];

    private static StorageError ErrorOf(Action call) => Assert.Throws<StorageException>(call).Error;

    [Fact]
    public void Allocated_reports_the_data_ranges_of_the_image_with_the_volume_capacity()
    {
        var id = Snapshot("s1", new FakeImage(Size).Write(0, 4096, 1).Write(65536, 8192, 2));

        using var stream = Reader().Allocated(id, 0, 0);

        Assert.Equal(Size, stream.VolumeCapacity);
        Assert.Equal(RangeStyle.Variable, stream.Style);
        Assert.Equal([new ByteRange(0, 4096), new ByteRange(65536, 8192)], All(stream));
    }

    [Fact]
    public void Allocated_in_fixed_style_reports_whole_blocks()
    {
        var id = Snapshot("s1", new FakeImage(Size).Write(70000, 10, 1));

        using var stream = Reader(new SnapshotMetadataOptions { Style = RangeStyle.Fixed, FixedBlockSize = 65536 }).Allocated(id, 0, 0);

        Assert.Equal(RangeStyle.Fixed, stream.Style);
        Assert.Equal([new ByteRange(65536, 65536)], All(stream));
    }

    [Fact]
    public void Missing_ids_and_negative_max_results_are_invalid_arguments()
    {
        var id = Snapshot("s1", new FakeImage(Size));

        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Allocated("", 0, 0)));
        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Allocated(id, 0, -1)));
        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Delta("", id, 0, 0)));
        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Delta(id, "", 0, 0)));
        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Delta(id, id, 0, -5)));
    }

    [Fact]
    public void A_huge_max_results_is_capped_so_no_message_outgrows_what_a_client_accepts()
    {
        var image = new FakeImage(Size);
        for (var i = 0; i < 10; i++)
            image.Write(i * 8192L, 4096, 1);
        var id = Snapshot("s1", image);

        using var stream = Reader(new SnapshotMetadataOptions { MaxTuplesPerMessage = 4 }).Allocated(id, 0, int.MaxValue);

        Assert.Equal([4, 4, 2], stream.Pages.Select(p => p.Count));
    }

    [Fact]
    public void Unknown_and_malformed_snapshot_ids_are_not_found()
    {
        var id = Snapshot("s1", new FakeImage(Size));
        var unknown = ResourceId.FromName(ResourceKind.Snapshot, "never").Value;

        Assert.Equal(StorageError.NotFound, ErrorOf(() => Reader().Allocated(unknown, 0, 0)));
        Assert.Equal(StorageError.NotFound, ErrorOf(() => Reader().Allocated("../../etc/passwd", 0, 0)));
        Assert.Equal(StorageError.NotFound, ErrorOf(() => Reader().Delta(unknown, id, 0, 0)));
        Assert.Equal(StorageError.NotFound, ErrorOf(() => Reader().Delta(id, unknown, 0, 0)));
    }

    [Fact]
    public void A_record_whose_image_is_gone_is_not_found()
    {
        var id = Snapshot("s1", new FakeImage(Size));
        _files.Images.Clear();

        Assert.Equal(StorageError.NotFound, ErrorOf(() => Reader().Allocated(id, 0, 0)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Size + 1)]
    public void A_starting_offset_outside_the_volume_is_out_of_range(long offset)
    {
        var a = Snapshot("s1", new FakeImage(Size));
        var b = Snapshot("s2", new FakeImage(Size), hour: 1);

        Assert.Equal(StorageError.OutOfRange, ErrorOf(() => Reader().Allocated(a, offset, 0)));
        Assert.Equal(StorageError.OutOfRange, ErrorOf(() => Reader().Delta(a, b, offset, 0)));
    }

    [Fact]
    public void A_starting_offset_at_the_end_of_the_volume_yields_one_empty_message()
    {
        var id = Snapshot("s1", new FakeImage(Size).Write(0, 4096, 1));

        using var stream = Reader().Allocated(id, Size, 0);

        Assert.Empty(Assert.Single(stream.Pages));
    }

    [Fact]
    public void Snapshots_of_different_volumes_have_no_delta()
    {
        var a = Snapshot("s1", new FakeImage(Size), volume: "vol-a");
        var b = Snapshot("s2", new FakeImage(Size), volume: "vol-b", hour: 1);

        var e = Assert.Throws<StorageException>(() => Reader().Delta(a, b, 0, 0));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains("same volume", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_older_than_its_base_is_refused()
    {
        var older = Snapshot("s1", new FakeImage(Size));
        var newer = Snapshot("s2", new FakeImage(Size), hour: 1);

        Assert.Equal(StorageError.InvalidArgument, ErrorOf(() => Reader().Delta(newer, older, 0, 0)));
    }

    [Fact]
    public void Copies_are_compared_by_content_over_what_either_allocated()
    {
        var first = new FakeImage(Size).Write(0, 65536, 1);
        var second = new FakeImage(Size).CopyOf(first).Write(4096, 4096, 2).Write(500000, 100, 3);
        var a = Snapshot("s1", first);
        var b = Snapshot("s2", second, hour: 1);

        using var stream = Reader().Delta(a, b, 0, 0);

        Assert.Equal([new ByteRange(4096, 4096), new ByteRange(499712, 4096)], All(stream));
    }

    [Fact]
    public void Reflinks_of_one_volume_are_compared_by_where_their_extents_live()
    {
        // Equal bytes, different places: only a reflink comparison reports it, which proves the path taken.
        var first = new FakeImage(Size).Write(0, 65536, 1).Extent(0, 1 << 30, 65536, ExtentFlags.Shared);
        var second = new FakeImage(Size).CopyOf(first)
            .Extent(0, 1 << 30, 4096, ExtentFlags.Shared).Extent(4096, 2L << 30, 4096).Extent(8192, (1L << 30) + 8192, 65536 - 8192, ExtentFlags.Shared);
        var a = Snapshot("s1", first, reflinked: true);
        var b = Snapshot("s2", second, reflinked: true, hour: 1);

        using var stream = Reader().Delta(a, b, 0, 0);

        Assert.Equal([new ByteRange(4096, 4096)], All(stream));
    }

    [Fact]
    public void Extents_the_layout_cannot_judge_fall_back_to_content()
    {
        var first = new FakeImage(Size).Write(0, 65536, 1).Extent(0, 1 << 30, 65536, ExtentFlags.Encoded);
        var second = new FakeImage(Size).CopyOf(first).Write(12288, 1, 5).Extent(0, 1 << 30, 65536, ExtentFlags.Encoded);
        var a = Snapshot("s1", first, reflinked: true);
        var b = Snapshot("s2", second, reflinked: true, hour: 1);

        using var stream = Reader().Delta(a, b, 0, 0);

        Assert.Equal([new ByteRange(12288, 4096)], All(stream));
    }

    [Fact]
    public void Reflinks_on_a_filesystem_without_extent_maps_are_compared_by_content()
    {
        var first = new FakeImage(Size) { MapsExtents = false }.Write(0, 8192, 1);
        var second = new FakeImage(Size) { MapsExtents = false }.CopyOf(first).Write(0, 1, 2);
        var a = Snapshot("s1", first, reflinked: true);
        var b = Snapshot("s2", second, reflinked: true, hour: 1);

        using var stream = Reader().Delta(a, b, 0, 0);

        Assert.Equal([new ByteRange(0, 4096)], All(stream));
    }

    [Fact]
    public void A_reflink_and_a_copy_are_compared_by_content()
    {
        var first = new FakeImage(Size).Write(0, 8192, 1).Extent(0, 1 << 30, 8192);
        var second = new FakeImage(Size).CopyOf(first).Extent(0, 2L << 30, 8192);
        var a = Snapshot("s1", first, reflinked: true);
        var b = Snapshot("s2", second, reflinked: false, hour: 1);

        using var stream = Reader().Delta(a, b, 0, 0);

        Assert.Empty(All(stream));
    }

    [Fact]
    public void Delta_resumes_at_the_starting_offset_and_reports_the_target_capacity()
    {
        var first = new FakeImage(Size);
        var second = new FakeImage(2 * Size).Write(4096, 4096, 1).Write(Size + 4096, 4096, 2);
        var a = Snapshot("s1", first);
        var b = Snapshot("s2", second, hour: 1, size: 2 * Size);

        using var stream = Reader().Delta(a, b, 8192, 0);

        Assert.Equal(2 * Size, stream.VolumeCapacity);
        Assert.Equal([new ByteRange(Size + 4096, 4096)], All(stream));
    }

    [Fact]
    public void Disposing_the_stream_closes_both_images()
    {
        var first = new FakeImage(Size);
        var second = new FakeImage(Size);
        var a = Snapshot("s1", first);
        var b = Snapshot("s2", second, hour: 1);

        Reader().Delta(a, b, 0, 0).Dispose();

        Assert.True(first.Disposed);
        Assert.True(second.Disposed);
    }

    public void Dispose() => _storage.Dispose();
}
