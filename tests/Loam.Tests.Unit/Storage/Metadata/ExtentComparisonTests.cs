using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Unit.Storage.Metadata;

public sealed class ExtentComparisonTests
{
    private const long End = 1 << 20;
    private static FileExtent E(long logical, long physical, long length, ExtentFlags flags = ExtentFlags.Shared) => new(logical, physical, length, flags);
    private static ExtentPiece Changed(long offset, long length) => new(new ByteRange(offset, length), ExtentVerdict.Changed);

    [Fact]
    public void Extents_in_the_same_place_are_equal()
    {
        var pieces = ExtentComparison.Differences([E(0, 1000000, 65536)], [E(0, 1000000, 65536)], 0, End);

        Assert.Empty(pieces);
    }

    [Fact]
    public void A_block_moved_by_a_copy_on_write_is_changed_and_the_rest_of_the_extent_is_not()
    {
        // The target's extent was split by a rewrite of [8 KiB, 12 KiB).
        FileExtent[] target = [E(0, 1000000, 8192), E(8192, 5000000, 4096, ExtentFlags.None), E(12288, 1000000 + 12288, 65536 - 12288)];

        var pieces = ExtentComparison.Differences([E(0, 1000000, 65536)], target, 0, End).ToList();

        Assert.Equal([Changed(8192, 4096)], pieces);
    }

    [Fact]
    public void Data_in_one_image_and_a_hole_in_the_other_is_changed_either_way()
    {
        var grown = ExtentComparison.Differences([], [E(4096, 7000, 4096)], 0, End).ToList();
        var punched = ExtentComparison.Differences([E(4096, 7000, 4096)], [], 0, End).ToList();

        Assert.Equal([Changed(4096, 4096)], grown);
        Assert.Equal([Changed(4096, 4096)], punched);
    }

    [Fact]
    public void Unwritten_extents_read_as_zeros_like_holes()
    {
        var pieces = ExtentComparison.Differences([E(0, 9000, 8192, ExtentFlags.Unwritten)], [], 0, End);

        Assert.Empty(pieces);
    }

    [Fact]
    public void Encoded_or_delayed_extents_need_a_byte_comparison()
    {
        var pieces = ExtentComparison.Differences([E(0, 9000, 8192, ExtentFlags.Encoded)], [E(0, 9000, 8192, ExtentFlags.Encoded)], 0, End).ToList();

        Assert.Equal([new ExtentPiece(new ByteRange(0, 8192), ExtentVerdict.Compare)], pieces);
    }

    [Fact]
    public void Adjacent_changed_pieces_are_joined_and_the_window_is_respected()
    {
        FileExtent[] target = [E(0, 100000, 4096), E(4096, 200000, 4096), E(8192, 300000, 4096)];

        var pieces = ExtentComparison.Differences([], target, 2048, 10000).ToList();

        Assert.Equal([Changed(2048, 10000 - 2048)], pieces);
    }

    [Fact]
    public void The_same_place_reached_through_differently_split_extents_is_equal()
    {
        // FIEMAP may split one physical run differently in two files.
        FileExtent[] baseExtents = [E(0, 50000, 8192), E(8192, 58192, 8192)];
        FileExtent[] targetExtents = [E(0, 50000, 4096), E(4096, 54096, 12288)];

        Assert.Empty(ExtentComparison.Differences(baseExtents, targetExtents, 0, End));
    }
}
