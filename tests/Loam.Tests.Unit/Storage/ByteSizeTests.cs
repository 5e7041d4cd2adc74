using Loam.Storage;

namespace Loam.Tests.Unit.Storage;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("1073741824", 1073741824L)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("10Gi", 10L << 30)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("2Ti", 2L << 40)]
    [InlineData(" 4Ki ", 4096L)]
    public void Sizes_parse_in_binary_and_decimal_units(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1Gi")]
    [InlineData("1.5Gi")]
    [InlineData("Gi")]
    [InlineData("10Xi")]
    [InlineData("99999999999Ti")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
        var e = Assert.Throws<StorageException>(() => ByteSize.Parse(text, "--size"));
        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains("--size", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1L << 30, "1Gi")]
    [InlineData(300L << 20, "300Mi")]
    [InlineData(1536L << 10, "1536Ki")]
    [InlineData(1000L, "1000 bytes")]
    public void Sizes_format_exactly(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}
