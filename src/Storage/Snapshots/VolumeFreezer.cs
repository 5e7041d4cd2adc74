using Loam.Storage.Images;
using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Storage.Snapshots;

/// <summary>
/// Holds the filesystems of volumes staged on this node still while their images are
/// copied: the loop device backing each image leads to its mounts, and one read-write
/// mount per filesystem is frozen (bind mounts share the superblock). A volume not staged
/// here, staged read-only, or staged as a raw block device has no filesystem to freeze.
/// </summary>
public sealed class VolumeFreezer(
    ILoopDevices loops,
    IImageFiles images,
    IMountTable mounts,
    IFileSystemFreezer freezer,
    PoolLockFiles locks,
    ILogger<VolumeFreezer> logger)
{
    /// <summary>Freezes all of the volumes' filesystems before it returns, or none.</summary>
    /// <returns>the frozen set; disposing it thaws every member, also after a failed copy.</returns>
    public Frozen Freeze(IEnumerable<StoredVolume> volumes)
    {
        var table = mounts.Read();
        var frozen = new Frozen(freezer, logger);
        try
        {
            foreach (var volume in volumes)
            {
                if (MountPointOf(volume, table) is { } mountPoint)
                {
                    freezer.Freeze(mountPoint);
                    frozen.Add(mountPoint);
                    StorageLog.Froze(logger, mountPoint, volume.Id.Value);
                }
                else
                    StorageLog.CrashConsistentOnly(logger, volume.Id.Value);
            }
            return frozen;
        }
        catch
        {
            frozen.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Thaws the filesystem of every volume of <paramref name="pools"/> staged on this node. Loam
    /// holds a freeze only inside one call, under the volume's lock, so at start-up a frozen volume
    /// whose lock is free is one a killed driver never thawed: its writers hang, and once unmounted
    /// it would keep its loop device busy for good. One whose lock another process holds is that
    /// process's copy in flight, and stays frozen until it ends.
    /// </summary>
    /// <returns>the mount points that were frozen.</returns>
    public IReadOnlyList<string> ThawLeftovers(IEnumerable<Pool> pools)
    {
        var devices = loops.List();
        var table = mounts.Read();
        var thawed = new List<string>();
        foreach (var pool in pools)
        {
            foreach (var device in ImageLoops.InFolder(devices, images, pool.VolumesDirectory))
            {
                if (table.FirstOrDefault(m => m.Source == device.DevicePath && !m.ReadOnly) is not { } mount)
                    continue;
                // The image's name ends the backing text in any namespace; identity matched the file itself.
                var named = ResourceId.TryParse(
                    Path.GetFileNameWithoutExtension(device.BackingPath), ResourceKind.Volume, out var id);
                using var held = named ? locks.TryTake(pool, id) : null;
                if (named && held is null)
                {
                    StorageLog.LeftFrozen(logger, mount.MountPoint, id.Value);
                    continue;
                }
                if (freezer.Thaw(mount.MountPoint))
                {
                    thawed.Add(mount.MountPoint);
                    StorageLog.ThawedLeftover(logger, mount.MountPoint);
                }
            }
        }
        return thawed;
    }

    private string? MountPointOf(StoredVolume volume, IReadOnlyList<MountInfo> table)
    {
        if (loops.LiveHolders(images, volume.ImagePath).FirstOrDefault() is not { } device)
            return null;
        return table.FirstOrDefault(m => m.Source == device.DevicePath && !m.ReadOnly)?.MountPoint;
    }

    public sealed class Frozen(IFileSystemFreezer freezer, ILogger logger) : IDisposable
    {
        private readonly List<string> _mountPoints = [];

        internal void Add(string mountPoint) => _mountPoints.Add(mountPoint);

        /// <summary>Thaws every member; one that fails does not keep the others frozen.</summary>
        public void Dispose()
        {
            StorageException? failure = null;
            foreach (var mountPoint in _mountPoints)
            {
                try
                {
                    freezer.Thaw(mountPoint);
                    StorageLog.Thawed(logger, mountPoint);
                }
                catch (StorageException e)
                {
                    StorageLog.ThawFailed(logger, mountPoint, e.Message);
                    failure ??= e;
                }
            }
            _mountPoints.Clear();
            if (failure is not null)
                throw failure;
        }
    }
}
