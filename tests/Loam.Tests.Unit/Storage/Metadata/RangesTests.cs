using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Unit.Storage.Metadata;

public sealed class RangesTests
{
    private static ByteRange R(long offset, long length) => new(offset, length);

    [Fact]
    public void Merge_joins_touching_and_overlapping_ranges_and_drops_empty_ones()
    {
        var merged = Ranges.Merge([R(0, 10), R(10, 5), R(12, 10), R(30, 0), R(40, 2)]).ToList();

        Assert.Equal([R(0, 22), R(40, 2)], merged);
    }

    [Fact]
    public void Union_covers_every_byte_of_either_sequence_once()
    {
        var union = Ranges.Union([R(0, 4), R(100, 10)], [R(2, 6), R(50, 10), R(105, 20)]).ToList();

        Assert.Equal([R(0, 8), R(50, 10), R(100, 25)], union);
    }

    [Fact]
    public void Clip_keeps_only_the_parts_inside_the_window()
    {
        var clipped = Ranges.Clip([R(0, 10), R(20, 10), R(40, 10)], 5, 45).ToList();

        Assert.Equal([R(5, 5), R(20, 10), R(40, 5)], clipped);
    }

    [Fact]
    public void Blocks_cover_every_touched_block_exactly_once()
    {
        var blocks = Ranges.Blocks([R(100, 10), R(200, 4000), R(8192, 1)], 4096).ToList();

        Assert.Equal([R(0, 4096), R(4096, 4096), R(8192, 4096)], blocks);
    }
}
