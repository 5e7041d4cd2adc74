using Loam.Storage;

namespace Loam.Tests.Unit.Storage;

public sealed class PaginationTests
{
    private static readonly List<ResourceId> Ids =
        [.. Enumerable.Range(0, 5).Select(i => ResourceId.FromName(ResourceKind.Volume, $"v{i}")).OrderBy(id => id.Value, StringComparer.Ordinal)];

    private static Pagination.Page<string> Take(IReadOnlyList<ResourceId> ids, string? token, int max) =>
        Pagination.Take(ids, id => id.Value, ResourceKind.Volume, token, max, id => id.Value);

    [Fact]
    public void Pages_walk_every_entry_once_in_order()
    {
        var first = Take(Ids, null, 2);
        var second = Take(Ids, first.NextToken, 2);
        var third = Take(Ids, second.NextToken, 2);

        Assert.Equal(Ids.Select(i => i.Value), first.Entries.Concat(second.Entries).Concat(third.Entries));
        Assert.Equal("", third.NextToken);
    }

    [Fact]
    public void No_limit_returns_everything_and_no_token()
    {
        var page = Take(Ids, null, 0);

        Assert.Equal(5, page.Entries.Count);
        Assert.Equal("", page.NextToken);
    }

    [Fact]
    public void A_token_stays_valid_when_its_entry_is_deleted()
    {
        var first = Take(Ids, null, 2);
        var remaining = Ids.Where(i => i.Value != first.NextToken).ToList();

        var rest = Take(remaining, first.NextToken, 0);

        Assert.Equal(Ids.Skip(2).Select(i => i.Value), rest.Entries);
    }

    [Fact]
    public void Entries_deleted_while_paging_are_skipped_without_error()
    {
        var page = Pagination.Take(Ids, id => id.Value, ResourceKind.Volume, null, 0, id => id == Ids[1] ? null : id.Value);

        Assert.Equal(4, page.Entries.Count);
    }

    [Theory]
    [InlineData("invalid-token")]
    [InlineData("snap-0123456789abcdef0123456789abcdef")]
    [InlineData("../../etc")]
    public void A_token_never_issued_is_aborted(string token)
    {
        var e = Assert.Throws<StorageException>(() => Take(Ids, token, 1));
        Assert.Equal(StorageError.Aborted, e.Error);
    }

    [Fact]
    public void A_negative_limit_is_invalid() =>
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => Take(Ids, null, -1)).Error);
}
