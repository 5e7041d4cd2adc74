using Loam.Storage.Os;
using System.Collections;

namespace Loam.Storage.Pools;

/// <summary>
/// The configured pools; the first is the default. Each root is resolved to its real path once,
/// here (a pool under /var/lib/loam where /var/lib is a symlink has the root the kernel sees),
/// so that every path built below it is the one spelling of that place, and two spellings of
/// one folder are caught as one root.
/// </summary>
public sealed class PoolSet : IReadOnlyList<Pool>
{
    private readonly Pool[] _pools;

    public PoolSet(IEnumerable<PoolOptions> options)
    {
        _pools = [.. options.Select(o => new Pool(o with { Path = RealPath.Resolve(o.Path) }))];
        if (_pools.Length == 0)
            throw StorageException.InvalidArgument("at least one pool is needed");
        var duplicate = _pools.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw StorageException.InvalidArgument($"pool '{duplicate.Key}' is named twice");
        var sharedRoot = _pools.GroupBy(p => p.Root).FirstOrDefault(g => g.Count() > 1);
        if (sharedRoot is not null)
            throw StorageException.InvalidArgument($"pools {string.Join(", ", sharedRoot.Select(p => p.Name))} share the path {sharedRoot.Key}");
    }

    public Pool Default => _pools[0];

    public int Count => _pools.Length;

    public Pool this[int index] => _pools[index];

    /// <summary>The pool a StorageClass names with parameter <c>pool</c>, or the default.</summary>
    public Pool Select(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return Default;
        return _pools.FirstOrDefault(p => p.Name == name)
            ?? throw StorageException.InvalidArgument($"parameter pool: no pool named '{name}' (pools here: {string.Join(", ", _pools.Select(p => p.Name))})");
    }

    public Pool? Find(string name) => _pools.FirstOrDefault(p => p.Name == name);

    public IEnumerator<Pool> GetEnumerator() => ((IEnumerable<Pool>)_pools).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _pools.GetEnumerator();
}
