using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>
/// Per pool, the sizes the committed volume records promise (kept by the volume index as records
/// are put and removed) and the thin bytes that creates and expansions in flight have reserved.
/// A reservation is admitted under the pool's admission lock and lasts until the record it was
/// taken for is committed: the same step that counts the record's new size ends the reservation,
/// under one lock, so no reader ever sees the bytes twice or not at all.
/// </summary>
public sealed class VolumeTotals : IRecordTally<StoredVolume>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Thin, long Thick)> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ThinReservation> _reserved = new(StringComparer.Ordinal);

    public PoolPromises For(string pool)
    {
        lock (_lock)
        {
            var (thin, thick) = _committed.GetValueOrDefault(pool);
            var reserved = 0L;
            foreach (var reservation in _reserved.Values)
            {
                if (reservation.Pool == pool)
                    reserved += reservation.Bytes;
            }
            return new PoolPromises(thin, thick, reserved);
        }
    }

    /// <summary>
    /// Holds <paramref name="bytes"/> more thin promise in <paramref name="pool"/> for volume
    /// <paramref name="id"/> until its record is committed or the reservation is disposed. Callers
    /// hold the volume's lock (one reservation per volume) and the pool's admission lock.
    /// </summary>
    public ThinReservation Reserve(string pool, ResourceId id, long bytes)
    {
        var reservation = new ThinReservation(this, pool, id.Value, bytes);
        lock (_lock)
        {
            if (!_reserved.TryAdd(id.Value, reservation))
                throw new InvalidOperationException($"volume {id} already holds a reservation");
        }
        return reservation;
    }

    void IRecordTally<StoredVolume>.Clear()
    {
        lock (_lock)
            _committed.Clear();
    }

    void IRecordTally<StoredVolume>.Added(StoredVolume stored)
    {
        lock (_lock)
        {
            Count(stored, +1);
            _reserved.Remove(stored.Record.Id);
        }
    }

    void IRecordTally<StoredVolume>.Removed(StoredVolume stored)
    {
        lock (_lock)
            Count(stored, -1);
    }

    internal void Release(ThinReservation reservation)
    {
        lock (_lock)
        {
            if (_reserved.TryGetValue(reservation.VolumeId, out var held) && ReferenceEquals(held, reservation))
                _reserved.Remove(reservation.VolumeId);
        }
    }

    private void Count(StoredVolume stored, int sign)
    {
        var (thin, thick) = _committed.GetValueOrDefault(stored.Pool.Name);
        var bytes = sign * stored.Record.CapacityBytes;
        _committed[stored.Pool.Name] = stored.Record.Provisioning == Provisioning.Thick
            ? (thin, thick + bytes)
            : (thin + bytes, thick);
    }
}
