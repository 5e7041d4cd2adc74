using Loam.Storage;
using Loam.Storage.Pools;

namespace Loam.Tests.Unit.Storage;

public sealed class PoolOptionsTests
{
    [Fact]
    public void A_plain_pool_spec_names_a_local_pool_with_no_reserve()
    {
        var pool = PoolOptions.Parse("fast=/mnt/nvme/loam/");

        Assert.Equal(new PoolOptions("fast", "/mnt/nvme/loam"), pool);
    }

    [Fact]
    public void Options_set_reserve_overcommit_and_sharing()
    {
        var pool = PoolOptions.Parse("nfs=/srv/loam,reserve=2Gi,overcommit=3,shared");

        Assert.Equal(2L << 30, pool.ReserveBytes);
        Assert.Equal(3.0, pool.Overcommit);
        Assert.True(pool.Shared);
    }

    [Theory]
    [InlineData("nopath")]
    [InlineData("=/srv")]
    [InlineData("Bad_Name=/srv")]
    [InlineData("-x=/srv")]
    [InlineData("p=relative/path")]
    [InlineData("p=/srv,overcommit=0.5")]
    [InlineData("p=/srv,overcommit=lots")]
    [InlineData("p=/srv,reserve=much")]
    [InlineData("p=/srv,compress")]
    public void Malformed_specs_are_refused_with_the_reason(string spec)
    {
        var e = Assert.Throws<StorageException>(() => PoolOptions.Parse(spec));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains("pool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_pools_may_not_share_a_name_or_a_path()
    {
        Assert.Throws<StorageException>(() => new PoolSet([PoolOptions.Parse("a=/x"), PoolOptions.Parse("a=/y")]));
        Assert.Throws<StorageException>(() => new PoolSet([PoolOptions.Parse("a=/x"), PoolOptions.Parse("b=/x/")]));
    }

    [Fact]
    public void Selecting_an_unknown_pool_lists_the_known_ones()
    {
        var pools = new PoolSet([PoolOptions.Parse("a=/x"), PoolOptions.Parse("b=/y")]);

        Assert.Equal("a", pools.Select(null).Name);
        Assert.Equal("b", pools.Select("b").Name);
        var e = Assert.Throws<StorageException>(() => pools.Select("c"));
        Assert.Contains("a, b", e.Message, StringComparison.Ordinal);
    }
}
