using System.Net;
using Csi.V1;
using Grpc.Core;
using Loam.Tests.Deploy.Tools;
using Mono.Unix.Native;

namespace Loam.Tests.Deploy.Metrics;

/// <summary>/metrics of the real driver after real CSI calls: call counts, latencies and pool figures.</summary>
public sealed class MetricsEndpointTests
{
    private const string Duration = "loam_csi_operation_duration_seconds";
    private const long MiB = 1 << 20;

    [Fact]
    public async Task Each_csi_call_is_counted_by_service_method_and_status_code()
    {
        using var root = new TestRoot("metrics");
        await using var driver = await MetricsDriver.StartAsync(root, $"default={root.Folder("pool")}");
        var csi = driver.Process.Csi;

        for (var i = 0; i < 3; i++)
            await csi.Identity.GetPluginInfoAsync(new GetPluginInfoRequest());
        await driver.CreateVolumeAsync("first", 16 * MiB);
        await driver.CreateVolumeAsync("second", 16 * MiB);
        var noName = await Assert.ThrowsAsync<RpcException>(() => driver.CreateVolumeAsync("", 16 * MiB));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await csi.Controller.ValidateVolumeCapabilitiesAsync(
            new ValidateVolumeCapabilitiesRequest { VolumeId = "vol-" + new string('0', 32), VolumeCapabilities = { MetricsDriver.MountCapability() } }));
        var metrics = await driver.ScrapeAsync();

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.NotFound), (noName.StatusCode, unknown.StatusCode));
        Assert.Equal("histogram", metrics.Types[Duration]);
        Assert.Equal(3, metrics.Value(Duration + "_count", ("service", "Identity"), ("method", "GetPluginInfo"), ("code", "OK")));
        Assert.Equal(2, metrics.Value(Duration + "_count", ("service", "Controller"), ("method", "CreateVolume"), ("code", "OK")));
        Assert.Equal(1, metrics.Value(Duration + "_count", ("service", "Controller"), ("method", "CreateVolume"), ("code", "InvalidArgument")));
        Assert.Equal(1, metrics.Value(Duration + "_count", ("service", "Controller"), ("method", "ValidateVolumeCapabilities"), ("code", "NotFound")));
        Assert.True(metrics.Value(Duration + "_sum", ("method", "CreateVolume"), ("code", "OK")) > 0);
        var buckets = metrics.Named(Duration + "_bucket").Where(s => s.Has(("method", "CreateVolume"), ("code", "OK"))).ToList();
        Assert.Equal(2, buckets.Single(b => b.Labels["le"] == "+Inf").Value);
        Assert.Equal(buckets.Select(b => b.Value).Order(), buckets.Select(b => b.Value));
    }

    [Fact]
    public async Task Pool_figures_are_read_from_the_pool_at_each_scrape()
    {
        using var root = new TestRoot("metrics");
        var pool = root.Folder("pool");
        await using var driver = await MetricsDriver.StartAsync(root, $"default={pool},reserve=1Mi,overcommit=2");

        var thin = await driver.CreateVolumeAsync("thin", 64 * MiB);
        var thickVolume = await driver.CreateVolumeAsync("thick", 16 * MiB, ("provisioning", "thick"));
        // A real snapshot: the capacity figures read every snapshot record, so a made-up file
        // in snapshots/ would be a corrupt pool, not a snapshot.
        await driver.Process.Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "snap", SourceVolumeId = thickVolume.VolumeId });
        var before = await driver.ScrapeAsync();
        await driver.Process.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = thin.VolumeId });
        var after = await driver.ScrapeAsync();

        var labels = ("pool", "default");
        Assert.Equal(1, before.Value("loam_pool_up", labels));
        Assert.Equal(2, before.Value("loam_pool_volumes", labels));
        Assert.Equal(80 * MiB, before.Value("loam_pool_provisioned_bytes", labels));
        Assert.Equal(1, before.Value("loam_pool_snapshots", labels));
        // The thick image is allocated, the snapshot's image as its filesystem counts it (a copy
        // or a reflink of the thick image); the thin image is sparse.
        Assert.InRange(before.Value("loam_pool_allocated_bytes", labels), 16 * MiB, 80 * MiB - 1);
        Assert.Equal(0 == Syscall.statvfs(pool, out var fs) ? (double)fs.f_blocks * fs.f_frsize : double.NaN, before.Value("loam_pool_capacity_bytes", labels));
        var free = before.Value("loam_pool_free_bytes", labels);
        Assert.InRange(free, 1, before.Value("loam_pool_capacity_bytes", labels));
        var thick = before.Value("loam_pool_available_bytes", labels, ("provisioning", "thick"));
        Assert.InRange(thick, 0, free - MiB);
        // Thin: (size - reserve - 16 MiB thick - the snapshot's 16 MiB if it is a reflink) x 2, less the 64 MiB thin volume.
        var size = before.Value("loam_pool_capacity_bytes", labels);
        Assert.InRange(before.Value("loam_pool_available_bytes", labels, ("provisioning", "thin")),
            Math.Floor((size - 33 * MiB) * 2 - 64 * MiB), Math.Floor((size - 17 * MiB) * 2 - 64 * MiB));

        Assert.Equal(1, after.Value("loam_pool_volumes", labels));
        Assert.Equal(16 * MiB, after.Value("loam_pool_provisioned_bytes", labels));
    }

    [Fact]
    public async Task A_pool_whose_folder_is_gone_reports_down_without_space_figures_until_it_returns()
    {
        using var root = new TestRoot("metrics");
        var pool = root.Folder("pool");
        await using var driver = await MetricsDriver.StartAsync(root, $"gone={pool}", $"kept={root.Folder("kept")}");

        Directory.Move(pool, pool + ".away");
        var down = await driver.ScrapeAsync();
        var ready = await driver.GetAsync("/readyz");
        Directory.Move(pool + ".away", pool);
        var back = await driver.ScrapeAsync();

        Assert.Equal(0, down.Value("loam_pool_up", ("pool", "gone")));
        Assert.False(down.Contains("loam_pool_capacity_bytes", ("pool", "gone")));
        Assert.False(down.Contains("loam_pool_available_bytes", ("pool", "gone")));
        Assert.Equal(1, down.Value("loam_pool_up", ("pool", "kept")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(1, back.Value("loam_pool_up", ("pool", "gone")));
        Assert.True(back.Value("loam_pool_capacity_bytes", ("pool", "gone")) > 0);
    }

    [RootFact]
    public async Task Loop_devices_backed_by_the_pools_images_are_counted()
    {
        using var root = new TestRoot("metrics");
        var pool = root.Folder("pool");
        await using var driver = await MetricsDriver.StartAsync(root, $"default={pool}");
        var volume = await driver.CreateVolumeAsync("looped", 16 * MiB);
        var image = Path.Combine(pool, "volumes", volume.VolumeId + ".img");

        var device = Shell.Run("losetup", "--find", "--show", image).Trim();
        PrometheusText attached;
        try
        {
            attached = await driver.ScrapeAsync();
        }
        finally
        {
            Shell.Run("losetup", "--detach", device);
        }
        var detached = await driver.ScrapeAsync();

        Assert.Equal(1, attached.Value("loam_pool_loop_devices", ("pool", "default")));
        Assert.Equal(0, detached.Value("loam_pool_loop_devices", ("pool", "default")));
    }

    [Fact]
    public async Task Health_answers_and_metrics_say_what_the_driver_is_in_the_prometheus_format()
    {
        using var root = new TestRoot("metrics");
        await using var driver = await MetricsDriver.StartAsync(root, $"a={root.Folder("a")}", $"b={root.Folder("b")}");

        using var healthz = await driver.GetAsync("/healthz");
        using var readyz = await driver.GetAsync("/readyz");
        using var response = await driver.GetAsync("/metrics");
        var metrics = new PrometheusText(await response.Content.ReadAsStringAsync());

        Assert.Equal((HttpStatusCode.OK, "ok\n"), (healthz.StatusCode, await healthz.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "ready\n"), (readyz.StatusCode, await readyz.Content.ReadAsStringAsync()));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(1, metrics.Value("loam_driver_info", ("driver", "loam.csi.dev"), ("version", Manifests.DeployFiles.Version), ("mode", "all"), ("node", MetricsDriver.NodeId)));
        Assert.Equal(1, metrics.Value("loam_pool_up", ("pool", "a")));
        Assert.Equal(1, metrics.Value("loam_pool_up", ("pool", "b")));
        Assert.All(metrics.Types.Keys, name => Assert.StartsWith("loam_", name, StringComparison.Ordinal));
    }
}
