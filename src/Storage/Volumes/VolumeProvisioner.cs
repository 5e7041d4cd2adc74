using Loam.Storage.Locks;
using Loam.Storage.Images;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>
/// Creates, deletes and grows volumes. Callers hold the volume's lock. A create writes the
/// image, then the record (the commit point); a delete removes the record first. A crash
/// between the two steps leaves an image without a record, which the start-up sweep removes.
/// Whatever takes room in a pool is admitted under the pool's admission lock, so concurrent calls
/// never overbook it. A blank thin create and a thin expansion need no real space now: under the
/// lock they only check the budget and take a <see cref="ThinReservation"/>, then make the image
/// and commit the record outside it, so they run side by side. Thick volumes, copies from a
/// source and thickening write real blocks and need real free space: they hold the lock from the
/// check to the record commit.
/// </summary>
public sealed class VolumeProvisioner(
    VolumeStore store,
    IImageFiles images,
    PoolCapacity capacity,
    AdmissionLocks admission,
    StorageOptions options,
    TimeProvider time,
    IVolumeContentSource contentSource,
    ILoopDevices loops)
{
    public static ResourceId IdFor(string name) => ResourceId.FromName(ResourceKind.Volume, name);

    /// <returns>the new volume, or the existing one when the same request is repeated.</returns>
    public StoredVolume Create(CreateVolumeSpec spec)
    {
        VolumeParameters.Validate(spec.Parameters, spec.MutableParameters);
        var pool = store.Pools.Select(spec.Parameters.GetValueOrDefault(VolumeParameters.Pool));
        AccessPolicy.EnsureSupported(pool, spec.Capabilities);
        var mount = spec.Capabilities.FirstOrDefault(c => c.AccessType == AccessType.Mount);
        var fsType = FileSystemTypes.Resolve(mount?.FsType, options.DefaultFsType);
        var provisioning = VolumeParameters.Provisioning(spec.Parameters, spec.MutableParameters);
        var minimum = mount is null ? FileSystemTypes.MinimumBlockBytes : FileSystemTypes.MinimumBytes(fsType);
        var id = IdFor(spec.Name);
        var existing = store.Find(id);
        // A retry finds its volume even when the source is gone by now: the volume's own size stands in for it.
        var sourceSize = spec.Source is null ? 0
            : existing is { } made && made.Record.Source == spec.Source ? made.Record.CapacityBytes
            : contentSource.SourceSize(spec.Source);
        var size = spec.Capacity.Resolve(
            defaultBytes: Math.Max(options.DefaultVolumeBytes, sourceSize),
            minimumBytes: Math.Max(minimum, sourceSize),
            maximumBytes: options.MaxVolumeBytes,
            minimumReason: sourceSize > minimum ? $"the source {spec.Source!.Id}" : mount is null ? "a block volume" : fsType);

        if (existing is not null)
            return EnsureCompatible(existing, spec, pool, size);

        var node = NodeTopology.NodeFor(pool, options.NodeId);
        if (!NodeTopology.Satisfies(node, spec.RequisiteTopology))
            throw StorageException.ResourceExhausted($"pool '{pool.Name}' is local to node {node} "
                + $"(topology {NodeTopology.NodeKey}={node}), which meets none of the requisite topologies");

        var record = new VolumeRecord
        {
            Id = id.Value,
            Name = spec.Name,
            Pool = pool.Name,
            CapacityBytes = size,
            FsType = fsType,
            Provisioning = provisioning,
            Parameters = spec.Parameters,
            MutableParameters = spec.MutableParameters,
            Source = spec.Source,
            Node = node,
            Ephemeral = spec.Ephemeral,
            CreatedAt = time.GetUtcNow(),
            // A blank image holds nothing but what Loam's own mkfs will write; a copy holds its source's bytes.
            Formatted = spec.Source is null ? false : null,
        };
        if (provisioning == Provisioning.Thin && spec.Source is null)
        {
            using var reservation = ReserveThin(pool, id, size);
            return Make(pool, record);
        }
        using var _ = admission.ForPool(pool.Name);
        capacity.EnsureRoom(pool, provisioning, size);
        return Make(pool, record);
    }

    /// <returns>false when there was nothing to delete.</returns>
    public bool Delete(ResourceId id)
    {
        if (store.Find(id) is not { } volume)
        {
            // An image without a record is a half-made create: finish its removal.
            foreach (var pool in store.Pools)
                images.Delete(pool.ImagePath(id));
            return false;
        }
        if (volume.Record.Attachments.Count > 0)
            throw StorageException.FailedPrecondition(
                $"volume {id} is attached to node {string.Join(", ", volume.Record.Attachments.Select(a => a.NodeId))}; ControllerUnpublish it first");
        // Without an attach step (attachRequired=false) only the kernel knows the volume is in use.
        if (loops.LiveHolders(images, volume.ImagePath).FirstOrDefault() is { } device)
            throw StorageException.FailedPrecondition($"volume {id} is still staged on this node ({device.DevicePath} holds its image); NodeUnstage it first");
        store.DeleteRecord(volume.Pool, id);
        CrashPoints.Reach(CrashPoints.DeleteRecordRemoved);
        images.Delete(volume.ImagePath);
        return true;
    }

    /// <summary>Grows the image; never shrinks. The node grows the device and filesystem later.</summary>
    public StoredVolume Expand(StoredVolume volume, CapacityRange range)
    {
        var current = volume.Record.CapacityBytes;
        if (range.LimitBytes > 0 && current > range.LimitBytes)
            throw StorageException.OutOfRange($"volume {volume.Id} is already {ByteSize.Format(current)} ({current} bytes), above limit_bytes {range.LimitBytes}; volumes never shrink");
        if (range.RequiredBytes <= current && range.RequiredBytes >= 0 && range.LimitBytes >= 0)
            return volume;
        var size = range.Resolve(defaultBytes: current, minimumBytes: current, maximumBytes: options.MaxVolumeBytes, minimumReason: "the current size");
        if (volume.Record.Provisioning == Provisioning.Thin)
        {
            using var reservation = ReserveThin(volume.Pool, volume.Id, size - current);
            return Grow(volume, size, allocate: false);
        }
        using var _ = admission.ForPool(volume.Pool.Name);
        capacity.EnsureRoom(volume.Pool, volume.Record.Provisioning, size - current);
        return Grow(volume, size, allocate: true);
    }

    /// <summary>
    /// Applies mutable parameters (ControllerModifyVolume). Only keys present change anything:
    /// <c>provisioning=thick</c> allocates the whole image now (room permitting),
    /// <c>provisioning=thin</c> punches nothing but stops counting the volume as a reservation.
    /// </summary>
    /// <exception cref="StorageException">InvalidArgument for unknown keys or values, with nothing changed.</exception>
    public StoredVolume Modify(StoredVolume volume, IReadOnlyDictionary<string, string> mutable)
    {
        VolumeParameters.ValidateMutable(mutable);
        var record = volume.Record;
        var merged = new Dictionary<string, string>(record.MutableParameters);
        foreach (var (key, value) in mutable)
            merged[key] = value;
        var provisioning = VolumeParameters.ParseProvisioning(mutable) ?? record.Provisioning;
        using var _ = admission.ForPool(volume.Pool.Name);
        if (provisioning == Provisioning.Thick && record.Provisioning != Provisioning.Thick)
        {
            var missing = Math.Max(0, record.CapacityBytes - images.AllocatedBytes(volume.ImagePath));
            capacity.EnsureThickening(volume, missing);
            images.Allocate(volume.ImagePath);
        }
        if (provisioning == record.Provisioning && SameParameters(merged, record.MutableParameters))
            return volume;
        record = record with { Provisioning = provisioning, MutableParameters = merged };
        store.Save(volume.Pool, record);
        return volume with { Record = record };
    }

    /// <summary>Checks the budget and reserves thin bytes under the admission lock; lets it go on return.</summary>
    private ThinReservation ReserveThin(Pool pool, ResourceId id, long bytes)
    {
        using var _ = admission.ForPool(pool.Name);
        capacity.EnsureRoom(pool, Provisioning.Thin, bytes);
        return store.Reserve(pool, id, bytes);
    }

    // The image first, then the record (the commit point); a failed commit takes the image back.
    private StoredVolume Make(Pool pool, VolumeRecord record)
    {
        var image = pool.ImagePath(VolumeStore.Id(record));
        var allocate = record.Provisioning == Provisioning.Thick;
        if (record.Source is null)
            images.Create(image, record.CapacityBytes, allocate);
        else
            contentSource.CopyTo(record.Source, pool, image, record.CapacityBytes, allocate);
        CrashPoints.Reach(CrashPoints.CreateImageMade);
        try
        {
            store.Save(pool, record);
        }
        catch
        {
            images.Delete(image);
            throw;
        }
        return new StoredVolume(pool, record);
    }

    private StoredVolume Grow(StoredVolume volume, long size, bool allocate)
    {
        images.Grow(volume.ImagePath, size, allocate);
        var record = volume.Record with { CapacityBytes = size };
        store.Save(volume.Pool, record);
        return volume with { Record = record };
    }

    private static StoredVolume EnsureCompatible(StoredVolume existing, CreateVolumeSpec spec, Pool pool, long size)
    {
        var record = existing.Record;
        string? conflict = null;
        if (record.Name != spec.Name)
            conflict = $"its ID is taken by volume '{record.Name}'";
        else if (existing.Pool.Name != pool.Name)
            conflict = $"it exists in pool '{existing.Pool.Name}', not '{pool.Name}'";
        else if (!spec.Capacity.IsEmpty ? !spec.Capacity.Contains(record.CapacityBytes) : record.CapacityBytes != size)
            conflict = $"it exists with {record.CapacityBytes} bytes, outside the requested range [{spec.Capacity.RequiredBytes}, {spec.Capacity.LimitBytes}]";
        else if (record.Source != spec.Source)
            conflict = $"it exists with a different content source ({record.Source?.Id ?? "none"})";
        else if (!SameParameters(record.Parameters, spec.Parameters))
            conflict = "it exists with different parameters";
        if (conflict is not null)
            throw StorageException.AlreadyExists($"volume '{spec.Name}' already exists but is incompatible: {conflict}");
        return existing;
    }

    private static bool SameParameters(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
