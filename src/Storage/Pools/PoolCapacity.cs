using Loam.Storage.Os;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;

namespace Loam.Storage.Pools;

/// <summary>
/// What a pool can still give, by the rule in <see cref="PoolBudget"/>: the filesystem's size
/// and free space from statvfs, the promises from the volume index's running sums plus the thin
/// reservations of calls in flight (<see cref="VolumeTotals"/>). Snapshot images count as
/// the filesystem counts them (a sparse copy by its data, a reflink by nothing until its source
/// diverges), and for thick volumes the pool also holds back that divergence: a reflinked
/// snapshot of a thick volume means every overwrite of the volume will need new blocks.
/// Callers that act on an answer hold the pool's admission lock (<see cref="Locks.AdmissionLocks"/>)
/// from the check until what they admitted counts: the record commit, or a thin reservation.
/// </summary>
public sealed class PoolCapacity(IFileSystemSpace space, VolumeStore volumes, SnapshotStore snapshots)
{
    /// <summary>The largest volume of this kind the next CreateVolume in the pool accepts.</summary>
    public long Available(Pool pool, Provisioning provisioning) => Budget(pool).Available(provisioning);

    public PoolBudget Budget(Pool pool)
    {
        var info = Query(pool);
        var promises = volumes.Promises(pool);
        var reserve = pool.Options.ReserveBytes;
        return new PoolBudget(
            UsableBytes: Math.Max(0, info.TotalBytes - reserve),
            FreeBytes: info.AvailableBytes - reserve,
            Overcommit: pool.Options.Overcommit,
            ThinBytes: promises.ThinBytes + promises.ReservedThinBytes,
            ThickBytes: promises.ThickBytes,
            ThickSnapshotDebt: ThickSnapshotDebt(pool));
    }

    /// <summary>Bytes the reflinked snapshots of thick volumes in the pool will cost once those volumes are overwritten.</summary>
    public long ThickSnapshotDebt(Pool pool)
    {
        var debt = 0L;
        foreach (var snapshot in snapshots.Index.Entries())
        {
            if (snapshot.Pool.Name == pool.Name && snapshot.Record.Reflinked
                && ResourceId.TryParse(snapshot.Record.SourceVolumeId, ResourceKind.Volume, out var sourceId)
                && volumes.Index.Get(sourceId) is { Record.Provisioning: Provisioning.Thick } source
                && source.Pool.Name == pool.Name)
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

    /// <summary>Refuses unless a new (or grown) volume of <paramref name="bytes"/> more fits.</summary>
    /// <exception cref="StorageException">ResourceExhausted when <paramref name="bytes"/> more do not fit.</exception>
    public void EnsureRoom(Pool pool, Provisioning provisioning, long bytes)
    {
        var budget = Settled(pool, b => bytes <= b.Available(provisioning));
        var available = budget.Available(provisioning);
        if (bytes > available)
            throw StorageException.ResourceExhausted(
                $"pool '{pool.Name}' has {ByteSize.Format(available)} ({available} bytes) available for "
                + $"{Noun(provisioning)} volumes; {ByteSize.Format(bytes)} ({bytes} bytes) requested "
                + $"({budget.Describe()})");
    }

    /// <summary>Refuses unless a thin volume may become thick, allocating <paramref name="missingBytes"/>.</summary>
    /// <exception cref="StorageException">ResourceExhausted when it does not fit.</exception>
    public void EnsureThickening(StoredVolume volume, long missingBytes)
    {
        var bytes = volume.Record.CapacityBytes;
        var budget = Settled(volume.Pool, b => b.AdmitsThickening(bytes, missingBytes));
        if (!budget.AdmitsThickening(bytes, missingBytes))
            throw StorageException.ResourceExhausted(
                $"pool '{volume.Pool.Name}' cannot make volume {volume.Id} thick: it needs "
                + $"{ByteSize.Format(missingBytes)} written now and {ByteSize.Format(bytes)} of thick room "
                + $"({budget.Describe()})");
    }

    /// <summary>
    /// The pool's budget; when it refuses for want of free space alone, the filesystem is first
    /// committed (syncfs) and asked again once, so blocks a delete just freed count as free.
    /// </summary>
    private PoolBudget Settled(Pool pool, Func<PoolBudget, bool> admits)
    {
        var budget = Budget(pool);
        if (admits(budget) || !admits(budget with { FreeBytes = long.MaxValue / 2 }))
            return budget;
        try
        {
            space.Sync(pool.Root);
        }
        catch (IOException e)
        {
            throw new StorageException(StorageError.Unavailable,
                $"pool '{pool.Name}' at {pool.Root} cannot be synced: {e.Message}", e);
        }
        return Budget(pool);
    }

    private static string Noun(Provisioning provisioning) => provisioning.ToString().ToLowerInvariant();
}
