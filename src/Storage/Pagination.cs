namespace Loam.Storage;

/// <summary>
/// Pages over IDs in ordinal order. A token is the last ID of the previous page, so it
/// stays valid when that entry is deleted, and no entry is listed twice when others are
/// added between pages.
/// </summary>
public static class Pagination
{
    public sealed record Page<T>(IReadOnlyList<T> Entries, string NextToken);

    /// <summary>
    /// Pages over items already sorted by <paramref name="idOf"/>; <paramref name="select"/> returns null to skip one.
    /// </summary>
    /// <exception cref="StorageException">
    /// InvalidArgument for negative max_entries, Aborted for a token Loam never issued.
    /// </exception>
    public static Page<T> Take<TItem, T>(IReadOnlyList<TItem> sorted, Func<TItem, string> idOf, ResourceKind kind,
        string? startingToken, int maxEntries, Func<TItem, T?> select)
        where T : class
    {
        if (maxEntries < 0)
            throw StorageException.InvalidArgument($"max_entries must not be negative, got {maxEntries}");
        var start = 0;
        if (!string.IsNullOrEmpty(startingToken))
        {
            if (!ResourceId.TryParse(startingToken, kind, out var after))
                throw StorageException.Aborted($"starting_token '{startingToken}' was not issued by this plugin; list again from the start");
            start = LowerBound(sorted, idOf, after.Value);
        }

        var entries = new List<T>();
        var index = start;
        for (; index < sorted.Count && (maxEntries == 0 || entries.Count < maxEntries); index++)
        {
            if (select(sorted[index]) is { } entry)
                entries.Add(entry);
        }
        var next = index < sorted.Count && entries.Count > 0 ? idOf(sorted[index - 1]) : "";
        return new Page<T>(entries, next);
    }

    // The first index whose ID sorts after the token.
    private static int LowerBound<TItem>(IReadOnlyList<TItem> items, Func<TItem, string> idOf, string after)
    {
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(idOf(items[mid]), after) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
