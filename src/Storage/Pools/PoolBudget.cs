using Loam.Storage.Volumes;

namespace Loam.Storage.Pools;

/// <summary>
/// The capacity rule of one pool at one instant, as LVM thin pools define overcommit.
/// <list type="bullet">
/// <item>Thick volumes are carved out of the pool first: each thick byte uses one byte of
/// (filesystem size - reserve), and it must also be really free now (free space beyond the
/// reserve). A reflinked snapshot of a thick volume is a thick promise too: its blocks will be
/// needed once the volume is overwritten, so it counts as thick bytes and is held back from
/// the free space until then.</item>
/// <item>Thin volumes share what is left, times the overcommit ratio: the sum of their sizes
/// may not exceed (filesystem size - reserve - thick sizes) x overcommit.</item>
/// <item>A pool with nothing free beyond its reserve admits nothing: a new volume could not
/// hold a single block.</item>
/// </list>
/// </summary>
public sealed record PoolBudget(
    long UsableBytes,
    long FreeBytes,
    double Overcommit,
    long ThinBytes,
    long ThickBytes,
    long ThickSnapshotDebt)
{
    /// <summary>What the next volume of this kind may be, at most: what GetCapacity reports.</summary>
    public long Available(Provisioning provisioning)
    {
        if (FreeBytes <= 0)
            return 0;
        return provisioning == Provisioning.Thick
            ? Math.Min(RealRoom, PromiseRoom(Provisioning.Thick))
            : PromiseRoom(Provisioning.Thin);
    }

    /// <summary>Bytes that may still be written now, for thick allocations.</summary>
    public long RealRoom => Math.Max(0, FreeBytes - ThickSnapshotDebt);

    /// <summary>How much more the pool may promise to volumes of this kind, whatever is free now.</summary>
    public long PromiseRoom(Provisioning provisioning)
    {
        var thinRoom = (UsableBytes - (double)ThickBytes - ThickSnapshotDebt) * Overcommit - ThinBytes;
        var room = provisioning == Provisioning.Thick ? thinRoom / Overcommit : thinRoom;
        return room <= 0 ? 0 : room >= long.MaxValue ? long.MaxValue : (long)Math.Floor(room);
    }

    /// <summary>
    /// Whether a thin volume of <paramref name="bytes"/> may become thick, writing <paramref name="missingBytes"/> now:
    /// its promise moves from the thin sum to the thick sum.
    /// </summary>
    public bool AdmitsThickening(long bytes, long missingBytes) =>
        FreeBytes > 0 && missingBytes <= RealRoom
        && bytes <= (this with { ThinBytes = ThinBytes - bytes }).PromiseRoom(Provisioning.Thick);

    /// <summary>The figures behind a refusal, for its message.</summary>
    public string Describe() =>
        $"thin volumes promise {ByteSize.Format(ThinBytes)} and thick volumes {ByteSize.Format(ThickBytes)} of "
        + $"{ByteSize.Format(UsableBytes)} (filesystem size less the reserve) at overcommit {Overcommit:0.##}; "
        + $"{ByteSize.Format(Math.Max(0, FreeBytes))} is free beyond the reserve";
}
