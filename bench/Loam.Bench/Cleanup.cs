using Grpc.Core;
using Loam.Client;

namespace Loam.Bench;

/// <summary>Best-effort removal of what a scenario made when it stopped half-way, so a failed run leaves nothing behind.</summary>
public static class Cleanup
{
    public static async Task DeleteVolumesAsync(CsiClient client, IEnumerable<string> volumeIds)
    {
        foreach (var id in volumeIds)
        {
            try
            {
                await client.DeleteVolumeAsync(id);
            }
            catch (RpcException e)
            {
                await Console.Error.WriteLineAsync($"cleanup: DeleteVolume {id}: {e.StatusCode}: {e.Status.Detail}");
            }
        }
    }

    public static async Task DeleteSnapshotsAsync(CsiClient client, IEnumerable<string> snapshotIds)
    {
        foreach (var id in snapshotIds)
        {
            try
            {
                await client.DeleteSnapshotAsync(id);
            }
            catch (RpcException e)
            {
                await Console.Error.WriteLineAsync($"cleanup: DeleteSnapshot {id}: {e.StatusCode}: {e.Status.Detail}");
            }
        }
    }

    /// <summary>
    /// Removes the empty file a driver made as the target of a raw block volume, once it is no
    /// longer a bind mount (unlink refuses a mount point: then it stays, and says so).
    /// </summary>
    public static void RemoveBlockTarget(string path)
    {
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: 0 })
                File.Delete(path);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cleanup: {path}: {e.Message}");
        }
    }

    public static async Task UnmountAsync(NodeMounter mounter, MountRecord? mount)
    {
        if (mount is null)
            return;
        try
        {
            await mounter.UnmountAsync(mount);
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"cleanup: unmount {mount.TargetPath}: {e.StatusCode}: {e.Status.Detail}");
        }
    }
}
