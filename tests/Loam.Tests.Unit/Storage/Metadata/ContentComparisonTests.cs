using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage.Metadata;

public sealed class ContentComparisonTests
{
    private const int Block = 4096;
    private static ByteRange R(long offset, long length) => new(offset, length);

    private static List<ByteRange> Differences(FakeImage a, FakeImage b, long end, int buffer = 16384) =>
        [.. ContentComparison.Differences(a, b, Ranges.Union(a.Allocated(0), b.Allocated(0)), end, Block, buffer)];

    [Fact]
    public void Only_blocks_whose_bytes_differ_are_reported_in_whole_blocks()
    {
        var a = new FakeImage(1 << 20).Write(0, 65536, 1);
        var b = new FakeImage(1 << 20).CopyOf(a).Write(5000, 10, 2).Write(40000, 1, 3);

        Assert.Equal([R(4096, 4096), R(36864, 4096)], Differences(a, b, 1 << 20));
    }

    [Fact]
    public void A_run_of_changed_blocks_across_buffer_boundaries_is_one_range()
    {
        var a = new FakeImage(1 << 20);
        var b = new FakeImage(1 << 20).Write(8192, 40000, 7);

        Assert.Equal([R(8192, 40960)], Differences(a, b, 1 << 20, buffer: 8192));
    }

    [Fact]
    public void Zeros_written_over_a_hole_are_no_change()
    {
        var a = new FakeImage(1 << 20);
        var b = new FakeImage(1 << 20).MarkAllocated(0, 65536);

        Assert.Empty(Differences(a, b, 1 << 20));
    }

    [Fact]
    public void Bytes_past_the_shorter_image_compare_as_zeros()
    {
        var small = new FakeImage(65536);
        var grown = new FakeImage(131072).Write(65536, 4096, 0).Write(100000, 1, 9);

        Assert.Equal([R(98304, 4096)], Differences(small, grown, 131072));
    }

    [Fact]
    public void A_buffer_that_is_not_a_multiple_of_the_block_is_refused()
    {
        var a = new FakeImage(8192);

        Assert.Throws<ArgumentException>(() => ContentComparison.Differences(a, a, [R(0, 8192)], 8192, Block, 6000));
    }
}
