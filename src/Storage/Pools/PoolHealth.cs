using Loam.Storage.Os;

namespace Loam.Storage.Pools;

/// <summary>Whether every pool can take work: its folder exists, is writable, and its filesystem answers statvfs read-write.</summary>
public sealed class PoolHealth(PoolSet pools, IFileSystemSpace space)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var pool in pools)
        {
            if (!Directory.Exists(pool.VolumesDirectory))
            {
                problems.Add($"pool '{pool.Name}': {pool.VolumesDirectory} does not exist");
                continue;
            }
            if (PathAccess.WhyNotWritable(pool.VolumesDirectory) is { } why)
                problems.Add($"pool '{pool.Name}': {pool.VolumesDirectory} is not writable ({why})");
            try
            {
                if (space.Query(pool.Root).ReadOnly)
                    problems.Add($"pool '{pool.Name}': the filesystem at {pool.Root} is read-only");
            }
            catch (IOException e)
            {
                problems.Add($"pool '{pool.Name}': {e.Message}");
            }
        }
        return problems;
    }
}
