namespace Loam.Storage;

/// <summary>
/// Pages over IDs in ordinal order. A token is the last ID of the previous page, so it
/// stays valid when that entry is deleted, and no entry is listed twice when others are
/// added between pages.
/// </summary>
public static class Pagination
{
    public sealed record Page<T>(IReadOnlyList<T> Entries, string NextToken);

    /// <exception cref="StorageException">InvalidArgument for negative max_entries, Aborted for a token Loam never issued.</exception>
    public static Page<T> Take<T>(IReadOnlyList<ResourceId> sortedIds, ResourceKind kind, string? startingToken, int maxEntries, Func<ResourceId, T?> load)
        where T : class
    {
        if (maxEntries < 0)
            throw StorageException.InvalidArgument($"max_entries must not be negative, got {maxEntries}");
        var start = 0;
        if (!string.IsNullOrEmpty(startingToken))
        {
            if (!ResourceId.TryParse(startingToken, kind, out var after))
                throw StorageException.Aborted($"starting_token '{startingToken}' was not issued by this plugin; list again from the start");
            start = LowerBound(sortedIds, after.Value);
        }

        var entries = new List<T>();
        var index = start;
        for (; index < sortedIds.Count && (maxEntries == 0 || entries.Count < maxEntries); index++)
        {
            if (load(sortedIds[index]) is { } entry)
                entries.Add(entry);
        }
        var next = index < sortedIds.Count && entries.Count > 0 ? sortedIds[index - 1].Value : "";
        return new Page<T>(entries, next);
    }

    // The first index whose ID sorts after the token.
    private static int LowerBound(IReadOnlyList<ResourceId> ids, string after)
    {
        int lo = 0, hi = ids.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(ids[mid].Value, after) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
