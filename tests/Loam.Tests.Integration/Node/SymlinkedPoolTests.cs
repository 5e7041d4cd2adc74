using System.Net;
using System.Net.Sockets;
using Csi.V1;
using Grpc.Core;
using static Loam.Tests.Integration.Snapshots.SnapshotBed;

namespace Loam.Tests.Integration.Node;

/// <summary>
/// A pool named through a symlinked folder (/var/lib/loam where /var/lib is a link): the
/// snapshot freeze, the start-up thaw, DeleteVolume's "still staged" refusal and the pool's
/// loop device count all still see the volume's device.
/// </summary>
public sealed class SymlinkedPoolTests
{
    [RootFact]
    public async Task Freeze_thaw_the_staged_delete_refusal_and_the_loop_device_metric_work_on_a_pool_under_a_symlink()
    {
        var port = FreePort();
        await using var bed = await Testbed.StartSymlinkedAsync("symlinkpool", "--http-endpoint", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var capability = Testbed.Mount("ext4");
        var source = await bed.CreateVolumeAsync("pvc-src", 64L << 20, capability);
        var target = await bed.MountAsync(source.VolumeId, "src", capability);
        var bytes = RandomBytes(1 << 20);
        // Not synced: only the freeze during the snapshot puts these bytes into the image.
        await File.WriteAllBytesAsync(Path.Combine(target, "data.bin"), bytes);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = source.VolumeId }));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var snapshot = await bed.SnapshotAsync("snap", source.VolumeId);
        var restored = await bed.CreateFromAsync("pvc-restored", 64L << 20, capability, OfSnapshot(snapshot.SnapshotId));
        var restoredTarget = await bed.MountAsync(restored.VolumeId, "restored", capability);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("loam_pool_loop_devices{pool=\"default\"} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(restoredTarget, "data.bin")));

        var staging = Path.Combine(bed.MountRoot, "staging", "src");
        Shell.Run("fsfreeze", "-f", staging);
        try
        {
            await bed.RestartDriverAsync(crash: true, "--http-endpoint", $"127.0.0.1:{port}");
            // FITHAW on a filesystem that is not frozen fails: the restart thawed it.
            Assert.NotEqual(0, Shell.TryRun("fsfreeze", "-u", staging).ExitCode);
        }
        finally
        {
            Shell.TryRun("fsfreeze", "-u", staging);
        }
        await bed.UnmountAsync(source.VolumeId, "src");
        await bed.UnmountAsync(restored.VolumeId, "restored");
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = source.VolumeId });
        Assert.Empty(bed.VolumeLoopDevices());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
