namespace Loam.Storage.Pools;

/// <summary>The IDs of one kind of record across pools, in the ordinal order pagination walks.</summary>
public static class PoolListing
{
    private const string RecordExtension = ".json";

    public static IReadOnlyList<ResourceId> Ids(PoolSet pools, ResourceKind kind)
    {
        var ids = new List<ResourceId>();
        foreach (var pool in pools)
        {
            var dir = pool.DirectoryFor(kind);
            if (!Directory.Exists(dir))
                continue;
            foreach (var path in Directory.EnumerateFiles(dir, "*" + RecordExtension))
            {
                if (ResourceId.TryParse(Path.GetFileNameWithoutExtension(path), kind, out var id))
                    ids.Add(id);
            }
        }
        ids.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        return ids;
    }
}
