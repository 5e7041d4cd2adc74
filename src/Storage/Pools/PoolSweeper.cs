using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace Loam.Storage.Pools;

/// <summary>
/// Start-up clean-up of what a crash can leave: temp files of interrupted durable writes,
/// images whose record was never written (interrupted create) or already removed
/// (interrupted delete), and members of a group snapshot whose group record was never
/// written (an interrupted group create; its retry cuts them anew).
/// <para>
/// Other processes may be working in the same pool (a node plugin beside the controller, other
/// nodes on a shared pool), so a leftover is removed only when no process can still be making it:
/// the sweep takes the lock of the resource it belongs to (a leftover whose lock is held is in
/// flight and stays), and, where that lock proves nothing beyond this host, the leftover must also
/// be unmodified for <see cref="StaleAfter"/>. A lock proves it in a node-local pool whose
/// filesystem grants flock; in a shared pool (whose flock may be local to each node, as with NFS
/// mounted <c>local_lock=flock</c> or <c>nolock</c>), on a filesystem without flock, and for a file
/// that names no resource (a node registration's temp file), only the age does.
/// </para>
/// </summary>
public sealed class PoolSweeper(
    IImageFiles images, SnapshotStore snapshots, PoolLockFiles locks, TimeProvider time, ILogger<PoolSweeper> logger)
{
    /// <summary>How long a leftover must lie unmodified before a lock alone may not vouch for it.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <returns>the paths removed.</returns>
    public IReadOnlyList<string> Sweep(Pool pool)
    {
        var removed = new List<string>();
        foreach (var dir in pool.Directories.Where(Directory.Exists))
        {
            foreach (var temp in Directory.EnumerateFiles(dir, "*" + DurableFiles.TempSuffix))
            {
                if (Sweepable(pool, OwnerOf(temp), temp, stillLeftover: () => File.Exists(temp), out var held))
                {
                    using (held)
                        File.Delete(temp);
                    Removed(pool, removed, temp, "the temp file of an interrupted write");
                }
            }
            foreach (var image in Directory.EnumerateFiles(dir, "*.img"))
            {
                var record = Path.ChangeExtension(image, ".json");
                if (File.Exists(record))
                    continue;
                if (Sweepable(pool, OwnerOf(image), image, stillLeftover: () => !File.Exists(record), out var held))
                {
                    using (held)
                        images.Delete(image);
                    Removed(pool, removed, image, "an image without a record (an interrupted create or delete)");
                }
            }
        }
        SweepOrphanedGroupMembers(pool, removed);
        SweepLockFiles(pool);
        StorageLog.SweepDone(logger, pool.Name, removed.Count);
        return removed;
    }

    private void Removed(Pool pool, List<string> removed, string path, string reason)
    {
        removed.Add(path);
        StorageLog.Swept(logger, pool.Name, path, reason);
    }

    /// <summary>
    /// Lock files of resources without a record, left by a process killed while holding one:
    /// taking such a lock and letting it go unlinks it; a held one is in use and stays.
    /// </summary>
    private void SweepLockFiles(Pool pool)
    {
        foreach (var dir in pool.Directories.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "*.lock"))
            {
                if (OwnerOf(path) is { } id && pool.DirectoryFor(id.Kind) == dir && !File.Exists(pool.RecordPath(id)))
                    locks.TryTake(pool, id)?.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> may go; when it may, <paramref name="held"/> is its owner's
    /// lock, to hold until it is gone. <paramref name="stillLeftover"/> is asked again under the lock.
    /// </summary>
    private bool Sweepable(Pool pool, ResourceId? owner, string path, Func<bool> stillLeftover, out IDisposable? held)
    {
        held = null;
        var stale = time.GetUtcNow() - File.GetLastWriteTimeUtc(path) >= StaleAfter;
        if (owner is not { } id)
            return stale;
        if (locks.TryTake(pool, id) is not { } taken)
            return false;
        if ((stale || (taken.Exclusive && !pool.Shared)) && stillLeftover())
        {
            held = taken;
            return true;
        }
        taken.Dispose();
        return false;
    }

    /// <summary>The resource a file of the pool belongs to: its name up to the first dot (vol-….json.….tmp).</summary>
    private static ResourceId? OwnerOf(string path)
    {
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return PoolLockFiles.TryParseKey(dot < 0 ? name : name[..dot], out var id) ? id : null;
    }

    private void SweepOrphanedGroupMembers(Pool pool, List<string> removed)
    {
        if (!Directory.Exists(pool.SnapshotsDirectory))
            return;
        foreach (var path in Directory.EnumerateFiles(pool.SnapshotsDirectory, "*.json"))
        {
            if (!ResourceId.TryParse(Path.GetFileNameWithoutExtension(path), ResourceKind.Snapshot, out var id))
                continue;
            var record = RecordFile.Read(pool.RecordPath(id), StorageJson.Default.SnapshotRecord);
            if (record?.GroupId is not { } groupId || GroupExists(groupId))
                continue;
            // The group's creator holds the group's lock until the group record is written.
            ResourceId owner = ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var group) ? group : id;
            var stillOrphaned = () => File.Exists(path) && !GroupExists(groupId);
            if (!Sweepable(pool, owner, path, stillOrphaned, out var held))
                continue;
            using (held)
            {
                snapshots.Files.Delete(pool.RecordPath(id));
                images.Delete(pool.ImagePath(id));
            }
            const string Orphan = "a member of a group snapshot whose group record was never written";
            Removed(pool, removed, pool.RecordPath(id), Orphan);
            Removed(pool, removed, pool.ImagePath(id), Orphan);
        }
    }

    private bool GroupExists(string groupId) =>
        ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var id)
        && snapshots.Pools.Any(p => File.Exists(p.RecordPath(id)));
}
