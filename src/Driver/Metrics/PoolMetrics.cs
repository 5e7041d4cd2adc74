using Loam.Storage;
using Loam.Storage.Images;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;
using Loam.Storage.Volumes;
using Prometheus;

namespace Loam.Driver.Metrics;

/// <summary>
/// Pool figures, read from the pools on disk and the kernel's loop devices at scrape time:
/// the pool on disk is the truth, so there is no cache to drift. A pool whose filesystem
/// cannot be queried reports <c>loam_pool_up 0</c> and no space figures.
/// </summary>
public sealed class PoolMetrics
{
    private readonly PoolSet _pools;
    private readonly PoolCapacity _capacity;
    private readonly IImageFiles _images;
    private readonly ILoopDevices _loops;
    private readonly Lock _scrape = new();

    private readonly Gauge _up;
    private readonly Gauge _capacityBytes;
    private readonly Gauge _freeBytes;
    private readonly Gauge _availableBytes;
    private readonly Gauge _allocatedBytes;
    private readonly Gauge _provisionedBytes;
    private readonly Gauge _volumes;
    private readonly Gauge _snapshots;
    private readonly Gauge _loopDevices;

    public PoolMetrics(DriverMetrics metrics, PoolSet pools, PoolCapacity capacity, IImageFiles images, ILoopDevices loops)
    {
        _pools = pools;
        _capacity = capacity;
        _images = images;
        _loops = loops;
        var factory = metrics.Factory;
        string[] pool = ["pool"];
        _up = factory.CreateGauge("loam_pool_up", "1 when the pool's filesystem answers statvfs, else 0.", pool);
        _capacityBytes = factory.CreateGauge("loam_pool_capacity_bytes", "Size of the filesystem that holds the pool.", pool);
        _freeBytes = factory.CreateGauge("loam_pool_free_bytes", "Bytes of the pool's filesystem still free for writers (statvfs f_bavail).", pool);
        _availableBytes = factory.CreateGauge("loam_pool_available_bytes",
            "The largest volume the next CreateVolume accepts, as GetCapacity reports it: thin,"
            + " (size - reserve - thick) x overcommit less what thin volumes promise;"
            + " thick, also no more than the free bytes beyond the reserve.",
            ["pool", "provisioning"]);
        _allocatedBytes = factory.CreateGauge("loam_pool_allocated_bytes",
            "Bytes the pool's volume and snapshot images occupy on disk, counted per file (extents shared by reflinks count once per file).", pool);
        _provisionedBytes = factory.CreateGauge("loam_pool_provisioned_bytes", "Sum of the sizes of the pool's volumes.", pool);
        _volumes = factory.CreateGauge("loam_pool_volumes", "Volumes in the pool.", pool);
        _snapshots = factory.CreateGauge("loam_pool_snapshots", "Snapshots in the pool.", pool);
        _loopDevices = factory.CreateGauge("loam_pool_loop_devices", "Loop devices on this node backed by images in the pool.", pool);
        metrics.Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>Reads every figure afresh; concurrent scrapes take turns instead of reading the disk twice at once.</summary>
    public void Refresh()
    {
        lock (_scrape)
        {
            var loops = _loops.List();
            foreach (var pool in _pools)
            {
                RefreshSpace(pool);
                RefreshContents(pool);
                var held = ImageLoops.InFolder(loops, _images, pool.VolumesDirectory);
                _loopDevices.WithLabels(pool.Name).Set(held.Count);
            }
        }
    }

    private void RefreshSpace(Pool pool)
    {
        SpaceInfo space;
        try
        {
            space = _capacity.Query(pool);
        }
        catch (StorageException)
        {
            _up.WithLabels(pool.Name).Set(0);
            _capacityBytes.WithLabels(pool.Name).Unpublish();
            _freeBytes.WithLabels(pool.Name).Unpublish();
            foreach (var provisioning in Enum.GetValues<Provisioning>())
                _availableBytes.WithLabels(pool.Name, Label(provisioning)).Unpublish();
            return;
        }
        _up.WithLabels(pool.Name).Set(1);
        _capacityBytes.WithLabels(pool.Name).Set(space.TotalBytes);
        _freeBytes.WithLabels(pool.Name).Set(space.AvailableBytes);
        foreach (var provisioning in Enum.GetValues<Provisioning>())
            _availableBytes.WithLabels(pool.Name, Label(provisioning)).Set(_capacity.Available(pool, provisioning));
    }

    private void RefreshContents(Pool pool)
    {
        long volumes = 0, provisioned = 0, snapshots = 0, allocated = 0;
        foreach (var id in Ids(pool.VolumesDirectory, ResourceKind.Volume, ".json"))
        {
            if (ReadVolume(pool, id) is { } record)
            {
                volumes++;
                provisioned += record.CapacityBytes;
            }
        }
        snapshots = Ids(pool.SnapshotsDirectory, ResourceKind.Snapshot, ".json").Count();
        foreach (var (dir, kind) in new[] { (pool.VolumesDirectory, ResourceKind.Volume), (pool.SnapshotsDirectory, ResourceKind.Snapshot) })
        {
            foreach (var id in Ids(dir, kind, ".img"))
                allocated += Allocated(pool.ImagePath(id));
        }
        _volumes.WithLabels(pool.Name).Set(volumes);
        _provisionedBytes.WithLabels(pool.Name).Set(provisioned);
        _snapshots.WithLabels(pool.Name).Set(snapshots);
        _allocatedBytes.WithLabels(pool.Name).Set(allocated);
    }

    /// <summary>IDs of the files with this extension; names Loam never writes are not counted.</summary>
    private static IEnumerable<ResourceId> Ids(string directory, ResourceKind kind, string extension)
    {
        if (!Directory.Exists(directory))
            yield break;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + extension))
        {
            if (ResourceId.TryParse(Path.GetFileNameWithoutExtension(path), kind, out var id))
                yield return id;
        }
    }

    // A record deleted or being replaced between listing and reading is simply not counted this time.
    private static VolumeRecord? ReadVolume(Pool pool, ResourceId id)
    {
        try
        {
            return RecordFile.Read(pool.RecordPath(id), StorageJson.Default.VolumeRecord);
        }
        catch (StorageException)
        {
            return null;
        }
    }

    private long Allocated(string imagePath)
    {
        try
        {
            return _images.AllocatedBytes(imagePath);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (StorageException)
        {
            return 0; // not a regular file (a symlink swapped in): no image of ours occupies anything there
        }
    }

    private static string Label(Provisioning provisioning) => provisioning.ToString().ToLowerInvariant();
}
