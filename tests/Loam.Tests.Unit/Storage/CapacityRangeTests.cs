using Loam.Storage;
using Loam.Storage.Volumes;

namespace Loam.Tests.Unit.Storage;

public sealed class CapacityRangeTests
{
    private const long MiB = ByteSize.MiB;
    private const long GiB = ByteSize.GiB;

    [Fact]
    public void An_open_range_gets_the_default_size() =>
        Assert.Equal(GiB, new CapacityRange(0, 0).Resolve(GiB, 16 * MiB, 0, "ext4"));

    [Fact]
    public void A_request_is_rounded_up_to_whole_MiB() =>
        Assert.Equal(2 * MiB, new CapacityRange(MiB + 1, 0).Resolve(GiB, MiB, 0, "block"));

    [Fact]
    public void A_request_below_the_filesystem_minimum_is_raised_to_it() =>
        Assert.Equal(300 * MiB, new CapacityRange(10 * MiB, 0).Resolve(GiB, 300 * MiB, 0, "xfs"));

    [Fact]
    public void A_limit_below_the_filesystem_minimum_is_out_of_range_and_names_the_minimum()
    {
        var e = Assert.Throws<StorageException>(() => new CapacityRange(10 * MiB, 100 * MiB).Resolve(GiB, 300 * MiB, 0, "xfs"));

        Assert.Equal(StorageError.OutOfRange, e.Error);
        Assert.Contains("300Mi", e.Message, StringComparison.Ordinal);
        Assert.Contains("xfs", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(long.MaxValue, 0)]
    [InlineData(long.MaxValue, long.MaxValue)]
    [InlineData(long.MaxValue - 1, 0)]
    public void A_request_too_large_to_round_is_out_of_range_not_an_overflow(long required, long limit)
    {
        var e = Assert.Throws<StorageException>(() => new CapacityRange(required, limit).Resolve(GiB, MiB, 0, "ext4"));

        Assert.Equal(StorageError.OutOfRange, e.Error);
    }

    [Fact]
    public void Rounding_never_crosses_the_limit()
    {
        var size = new CapacityRange(MiB + 1, MiB + 4096).Resolve(GiB, MiB, 0, "block");

        Assert.Equal(MiB + 4096, size);
        Assert.Equal(0, size % 512);
    }

    [Fact]
    public void A_range_with_no_sector_multiple_is_out_of_range()
    {
        var e = Assert.Throws<StorageException>(() => new CapacityRange(MiB + 1, MiB + 100).Resolve(GiB, MiB, 0, "block"));
        Assert.Equal(StorageError.OutOfRange, e.Error);
    }

    [Fact]
    public void Required_above_limit_is_out_of_range() =>
        Assert.Equal(StorageError.OutOfRange, Assert.Throws<StorageException>(() => new CapacityRange(2 * GiB, GiB).Resolve(GiB, MiB, 0, "ext4")).Error);

    [Fact]
    public void Negative_bounds_are_invalid() =>
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => new CapacityRange(-1, 0).Resolve(GiB, MiB, 0, "ext4")).Error);

    [Fact]
    public void A_size_above_the_largest_volume_allowed_is_out_of_range()
    {
        var e = Assert.Throws<StorageException>(() => new CapacityRange(2 * GiB, 0).Resolve(GiB, MiB, GiB, "ext4"));

        Assert.Equal(StorageError.OutOfRange, e.Error);
        Assert.Contains("1Gi", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_limit_caps_the_default_size() =>
        Assert.Equal(512 * MiB, new CapacityRange(0, 512 * MiB).Resolve(GiB, 16 * MiB, 0, "ext4"));
}
