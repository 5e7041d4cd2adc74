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
