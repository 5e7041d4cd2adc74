using Loam.Storage.Os;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;

namespace Loam.Storage.Pools;

/// <summary>
/// What a pool can still give: the filesystem's available bytes minus the pool's reserve;
/// thin volumes may promise that much times the pool's overcommit ratio, thick volumes
/// only what is really there (they allocate it at once). Snapshot images count as the
/// filesystem counts them (a sparse copy by its data, a reflink by nothing until its source
/// diverges), and for thick volumes the pool also holds back that divergence: a reflinked
/// snapshot of a thick volume means every overwrite of the volume will need new blocks.
/// </summary>
public sealed class PoolCapacity(IFileSystemSpace space, SnapshotStore? snapshots = null, VolumeStore? volumes = null)
{
    public long Available(Pool pool, Provisioning provisioning)
    {
        var info = Query(pool);
        var free = Math.Max(0, info.AvailableBytes - pool.Options.ReserveBytes);
        return provisioning == Provisioning.Thick
            ? Math.Max(0, free - ThickSnapshotDebt(pool))
            : (long)Math.Min(long.MaxValue, free * pool.Options.Overcommit);
    }

    /// <summary>Bytes the reflinked snapshots of thick volumes in the pool will cost once those volumes are overwritten.</summary>
    public long ThickSnapshotDebt(Pool pool)
    {
        if (snapshots is null || volumes is null)
            return 0;
        var debt = 0L;
        foreach (var snapshot in snapshots.All())
        {
            if (snapshot.Pool.Name == pool.Name && snapshot.Record.Reflinked
                && volumes.Find(snapshot.Record.SourceVolumeId) is { Record.Provisioning: Provisioning.Thick } source && source.Pool.Name == pool.Name)
                debt += snapshot.Record.AllocatedBytes;
        }
        return debt;
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
