using Loam.Node;
using Loam.Storage;

namespace Loam.Tests.Unit.Node;

public sealed class MountGroupTests
{
    [Fact]
    public void A_numeric_group_is_a_group_id_and_none_means_no_change()
    {
        Assert.Equal(2000u, MountGroup.Parse("2000"));
        Assert.Null(MountGroup.Parse(""));
        Assert.Null(MountGroup.Parse(null));
    }

    [Theory]
    [InlineData("wheel")]
    [InlineData("-1")]
    [InlineData("4294967295")]
    [InlineData("1 2")]
    public void Anything_but_a_group_id_is_invalid(string group)
    {
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => MountGroup.Parse(group)).Error);
    }
}
