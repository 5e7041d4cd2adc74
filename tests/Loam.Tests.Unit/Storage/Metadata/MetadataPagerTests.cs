using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Unit.Storage.Metadata;

public sealed class MetadataPagerTests
{
    private const long MiB = 1 << 20;
    private static ByteRange R(long offset, long length) => new(offset, length);

    private static List<IReadOnlyList<ByteRange>> Pages(IEnumerable<ByteRange> ranges, long start = 0, long capacity = 16 * MiB, RangeStyle style = RangeStyle.Variable, long block = 65536, int max = 100) =>
        [.. MetadataPager.Pages(ranges, start, capacity, style, block, max)];

    [Fact]
    public void Variable_ranges_are_merged_and_clipped_to_the_starting_offset_and_capacity()
    {
        var pages = Pages([R(0, 4096), R(4096, 4096), R(MiB, 8192), R(15 * MiB, 2 * MiB)], start: 6000);

        Assert.Equal([R(6000, 2192), R(MiB, 8192), R(15 * MiB, MiB)], Assert.Single(pages));
    }

    [Fact]
    public void No_tuple_ends_at_or_before_the_starting_offset()
    {
        var pages = Pages([R(0, 4096), R(8192, 4096)], start: 4096);

        var first = pages.SelectMany(p => p).First();
        Assert.True(4096 < first.End);
        Assert.Equal(R(8192, 4096), first);
    }

    [Fact]
    public void Fixed_style_tiles_touched_blocks_of_one_size_including_the_block_holding_the_starting_offset()
    {
        var pages = Pages([R(10, 100), R(70000, 200000)], start: 50, style: RangeStyle.Fixed);

        var tuples = pages.SelectMany(p => p).ToList();
        Assert.All(tuples, t => Assert.Equal(65536, t.Length));
        Assert.Equal([0L, 65536, 131072, 196608, 262144], tuples.Select(t => t.Offset));
        Assert.True(50 < tuples[0].End);
    }

    [Fact]
    public void Max_results_bounds_every_message_and_tuples_increase_strictly_across_messages()
    {
        var ranges = Enumerable.Range(0, 25).Select(i => R(i * 2L * 4096, 4096)).ToList();

        var pages = Pages(ranges, max: 10);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(ranges, all);
        for (var i = 1; i < all.Count; i++)
            Assert.True(all[i - 1].End <= all[i].Offset);
    }

    [Fact]
    public void A_full_last_page_is_not_followed_by_an_empty_one()
    {
        var pages = Pages([R(0, 1), R(10, 1)], max: 2);

        Assert.Single(pages);
    }

    [Fact]
    public void Nothing_to_report_still_yields_one_empty_message()
    {
        var pages = Pages([], start: 16 * MiB);

        Assert.Empty(Assert.Single(pages));
    }

    [Theory]
    [InlineData(16L << 20, 65536, 65536)]
    [InlineData((16L << 20) + 4096, 65536, 4096)]
    [InlineData(1000, 65536, 8)]
    public void The_fixed_block_size_always_divides_the_capacity(long capacity, int configured, long expected)
    {
        Assert.Equal(expected, MetadataPager.FixedBlockSize(capacity, configured));
    }

    [Fact]
    public void Pages_are_computed_lazily_as_they_are_taken()
    {
        var produced = 0;
        IEnumerable<ByteRange> Endless()
        {
            for (long i = 0; ; i++)
            {
                produced++;
                yield return R(i * 8192, 4096);
            }
        }

        var first = MetadataPager.Pages(Endless(), 0, long.MaxValue, RangeStyle.Variable, 4096, 3).First();

        Assert.Equal(3, first.Count);
        Assert.True(produced <= 5, $"{produced} ranges computed for one page of 3");
    }
}
