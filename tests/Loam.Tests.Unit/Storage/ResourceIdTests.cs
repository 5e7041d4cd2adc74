using Loam.Storage;

namespace Loam.Tests.Unit.Storage;

public sealed class ResourceIdTests
{
    [Fact]
    public void The_same_name_always_maps_to_the_same_id()
    {
        var a = ResourceId.FromName(ResourceKind.Volume, "pvc-1");
        var b = ResourceId.FromName(ResourceKind.Volume, "pvc-1");

        Assert.Equal(a, b);
        Assert.Matches("^vol-[0-9a-f]{32}$", a.Value);
    }

    [Fact]
    public void Names_of_different_kinds_never_share_an_id()
    {
        var volume = ResourceId.FromName(ResourceKind.Volume, "x");
        var snapshot = ResourceId.FromName(ResourceKind.Snapshot, "x");

        Assert.NotEqual(volume.Value[^32..], snapshot.Value[^32..]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("vol-")]
    [InlineData("vol-../../../../etc/passwd00000000")]
    [InlineData("vol-0123456789ABCDEF0123456789abcdef")]
    [InlineData("vol-0123456789abcdef0123456789abcde")]
    [InlineData("vol-0123456789abcdef0123456789abcdef0")]
    [InlineData("snap-0123456789abcdef0123456789abcdef")]
    [InlineData("vol-0123456789abcdef0123456789abcde\0")]
    [InlineData("vol-0123456789abcdef0123456789abcdé")]
    public void Anything_but_an_issued_volume_id_is_refused(string text)
    {
        Assert.False(ResourceId.TryParse(text, ResourceKind.Volume, out _));
    }

    [Fact]
    public void An_issued_id_parses_back_to_itself()
    {
        var id = ResourceId.FromName(ResourceKind.Snapshot, "snap");

        Assert.True(ResourceId.TryParse(id.Value, ResourceKind.Snapshot, out var parsed));
        Assert.Equal(id, parsed);
    }
}
