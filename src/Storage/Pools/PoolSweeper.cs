using Loam.Storage.Os;

namespace Loam.Storage.Pools;

/// <summary>
/// Start-up clean-up of what a crash can leave: temp files of interrupted durable writes,
/// and images whose record was never written (interrupted create) or already removed
/// (interrupted delete). Runs before the server accepts calls, so no operation is in flight.
/// </summary>
public sealed class PoolSweeper(IImageFiles images)
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
        return removed;
    }
}
