namespace Loam.Storage.Volumes;

/// <summary>
/// Thin bytes a create or expansion holds in a pool while it makes the image and commits the
/// record without the pool's admission lock. Committing the volume's record ends it; disposing
/// ends it otherwise (a failed call), and does nothing once the record took it over.
/// </summary>
public sealed class ThinReservation : IDisposable
{
    private readonly VolumeTotals _totals;

    internal ThinReservation(VolumeTotals totals, string pool, string volumeId, long bytes)
    {
        _totals = totals;
        Pool = pool;
        VolumeId = volumeId;
        Bytes = bytes;
    }

    public string Pool { get; }
    public string VolumeId { get; }
    public long Bytes { get; }

    public void Dispose() => _totals.Release(this);
}
