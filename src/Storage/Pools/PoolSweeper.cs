using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;

namespace Loam.Storage.Pools;

/// <summary>
/// Start-up clean-up of what a crash can leave: temp files of interrupted durable writes,
/// and images whose record was never written (interrupted create) or already removed
/// (interrupted delete), and members of a group snapshot whose group record was never
/// written (an interrupted group create; its retry cuts them anew). Runs before the server
/// accepts calls, so no operation is in flight.
/// </summary>
public sealed class PoolSweeper(IImageFiles images, SnapshotStore? snapshots = null)
{
    /// <returns>the paths removed.</returns>
    public IReadOnlyList<string> Sweep(Pool pool)
    {
        var removed = new List<string>();
        foreach (var dir in pool.Directories.Where(Directory.Exists))
        {
            foreach (var temp in Directory.EnumerateFiles(dir, "*" + DurableFile.TempSuffix))
            {
                File.Delete(temp);
                removed.Add(temp);
            }
            foreach (var image in Directory.EnumerateFiles(dir, "*.img"))
            {
                if (!File.Exists(Path.ChangeExtension(image, ".json")))
                {
                    images.Delete(image);
                    removed.Add(image);
                }
            }
        }
        SweepOrphanedGroupMembers(pool, removed);
        return removed;
    }

    private void SweepOrphanedGroupMembers(Pool pool, List<string> removed)
    {
        if (snapshots is null || !Directory.Exists(pool.SnapshotsDirectory))
            return;
        foreach (var path in Directory.EnumerateFiles(pool.SnapshotsDirectory, "*.json"))
        {
            if (!ResourceId.TryParse(Path.GetFileNameWithoutExtension(path), ResourceKind.Snapshot, out var id))
                continue;
            var record = RecordFile.Read(pool.RecordPath(id), StorageJson.Default.SnapshotRecord);
            if (record?.GroupId is not { } groupId || GroupExists(groupId))
                continue;
            DurableFile.Delete(pool.RecordPath(id));
            images.Delete(pool.ImagePath(id));
            removed.Add(pool.RecordPath(id));
            removed.Add(pool.ImagePath(id));
        }
    }

    private bool GroupExists(string groupId) =>
        ResourceId.TryParse(groupId, ResourceKind.GroupSnapshot, out var id)
        && snapshots!.Pools.Any(p => File.Exists(p.RecordPath(id)));
}
