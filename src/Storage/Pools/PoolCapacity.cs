using Loam.Storage.Os;
using Loam.Storage.Volumes;

namespace Loam.Storage.Pools;

/// <summary>
/// What a pool can still give: the filesystem's available bytes minus the pool's reserve;
/// thin volumes may promise that much times the pool's overcommit ratio, thick volumes
/// only what is really there (they allocate it at once).
/// </summary>
public sealed class PoolCapacity(IFileSystemSpace space)
{
    public long Available(Pool pool, Provisioning provisioning)
    {
        var info = Query(pool);
        var free = Math.Max(0, info.AvailableBytes - pool.Options.ReserveBytes);
        return provisioning == Provisioning.Thick ? free : (long)Math.Min(long.MaxValue, free * pool.Options.Overcommit);
    }

    public SpaceInfo Query(Pool pool)
    {
        try
        {
            return space.Query(pool.Root);
        }
        catch (IOException e)
        {
            throw new StorageException(StorageError.Unavailable, $"pool '{pool.Name}' at {pool.Root} cannot be queried: {e.Message}", e);
        }
    }

    /// <exception cref="StorageException">ResourceExhausted when <paramref name="bytes"/> more do not fit.</exception>
    public void EnsureRoom(Pool pool, Provisioning provisioning, long bytes)
    {
        var available = Available(pool, provisioning);
        if (bytes > available)
            throw StorageException.ResourceExhausted(
                $"pool '{pool.Name}' has {ByteSize.Format(available)} ({available} bytes) available for {provisioning.ToString().ToLowerInvariant()} volumes; {ByteSize.Format(bytes)} ({bytes} bytes) requested");
    }
}
