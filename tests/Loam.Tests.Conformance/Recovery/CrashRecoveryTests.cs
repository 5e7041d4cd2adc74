using Csi.V1;
using Grpc.Core;
using Loam.Storage;

namespace Loam.Tests.Conformance.Recovery;

/// <summary>
/// kill -9 between the steps of CreateVolume and DeleteVolume, then restart and let the CO
/// retry: the retries converge and nothing half-made is left in the pool.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TestRoot _root = new("crash");
    private readonly string _pool;

    public CrashRecoveryTests() => _pool = _root.Folder("pool");

    public void Dispose() => _root.Dispose();

    private Task<DriverProcess> Start(string? crashPoint = null) =>
        DriverProcess.StartAsync(_root.Combine("csi.sock"), ["--node-id", "n1", "--pool", $"default={_pool}"],
            environment: crashPoint is null ? null : new Dictionary<string, string> { ["LOAM_CRASH_POINT"] = crashPoint });

    private static CreateVolumeRequest Create(string name)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = 64L << 20 } };
        request.VolumeCapabilities.Add(new VolumeCapability { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Mount = new() });
        return request;
    }

    /// <summary>Calls into a driver armed to die, and checks that it did die there.</summary>
    private static async Task CrashDuring(DriverProcess driver, Func<Task> call)
    {
        await Assert.ThrowsAsync<RpcException>(call);
        // 128 + SIGKILL: the process died at the crash point, not by an orderly exit.
        Assert.Equal(137, await driver.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        await driver.DisposeAsync();
    }

    [Theory]
    [InlineData(CrashPoints.CreateImageMade)]
    [InlineData(CrashPoints.DurableTempSynced)]
    public async Task A_create_killed_midway_leaves_no_volume_and_its_retry_makes_exactly_one(string crashPoint)
    {
        var crashing = await Start(crashPoint);
        await CrashDuring(crashing, () => crashing.Csi.Controller.CreateVolumeAsync(Create("pvc-a")).ResponseAsync);
        Assert.Empty(PoolContents.Read(_pool).Records);

        await using var driver = await Start();
        PoolContents.Read(_pool).AssertExactly([]);
        Assert.Contains("start-up sweep removed", driver.Output, StringComparison.Ordinal);
        var volume = (await driver.Csi.Controller.CreateVolumeAsync(Create("pvc-a"))).Volume;
        var again = (await driver.Csi.Controller.CreateVolumeAsync(Create("pvc-a"))).Volume;

        Assert.Equal(volume.VolumeId, again.VolumeId);
        Assert.Single((await driver.Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
        PoolContents.Read(_pool).AssertExactly([volume.VolumeId]);
    }

    [Fact]
    public async Task A_delete_killed_after_its_record_went_is_finished_by_the_restart_and_its_retry_succeeds()
    {
        string volumeId;
        await using (var first = await Start())
            volumeId = (await first.Csi.Controller.CreateVolumeAsync(Create("pvc-d"))).Volume.VolumeId;

        var crashing = await Start(CrashPoints.DeleteRecordRemoved);
        await CrashDuring(crashing, () => crashing.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }).ResponseAsync);
        Assert.Single(PoolContents.Read(_pool).Images);

        await using var driver = await Start();
        await driver.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId });

        Assert.Empty((await driver.Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
        PoolContents.Read(_pool).AssertExactly([]);
    }

    [Fact]
    public async Task An_attach_killed_while_its_record_was_rewritten_keeps_the_old_record_and_its_retry_attaches()
    {
        string volumeId;
        await using (var first = await Start())
            volumeId = (await first.Csi.Controller.CreateVolumeAsync(Create("pvc-p"))).Volume.VolumeId;
        var publish = new ControllerPublishVolumeRequest { VolumeId = volumeId, NodeId = "n1", VolumeCapability = Create("x").VolumeCapabilities[0] };

        var crashing = await Start(CrashPoints.DurableTempSynced);
        await CrashDuring(crashing, () => crashing.Csi.Controller.ControllerPublishVolumeAsync(publish).ResponseAsync);

        await using var driver = await Start();
        var before = await driver.Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volumeId });
        Assert.Empty(before.Status.PublishedNodeIds);
        await driver.Csi.Controller.ControllerPublishVolumeAsync(publish);
        var after = await driver.Csi.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volumeId });
        Assert.Equal(["n1"], after.Status.PublishedNodeIds);
        PoolContents.Read(_pool).AssertExactly([volumeId]);
    }

    [Fact]
    public async Task Kills_at_random_moments_under_concurrent_creates_and_deletes_converge_after_retries()
    {
        var random = new Random(20261125);
        var names = Enumerable.Range(0, 12).Select(i => $"pvc-{i}").ToList();
        var wanted = new HashSet<string>();
        for (var round = 0; round < 6; round++)
        {
            var driver = await Start();
            var calls = names.Select(name => random.Next(3) == 0
                ? Quietly(async () => await DeleteByName(driver, name))
                : Quietly(async () => await driver.Csi.Controller.CreateVolumeAsync(Create(name)))).ToList();
            await Task.Delay(random.Next(1, 40));
            await driver.KillAsync();
            await Task.WhenAll(calls);
            await driver.DisposeAsync();

            // The CO retries every call it did not see succeed, against a restarted driver.
            wanted = [.. names.Where(_ => random.Next(2) == 0)];
            await using var restarted = await Start();
            foreach (var name in names)
            {
                if (wanted.Contains(name))
                    await restarted.Csi.Controller.CreateVolumeAsync(Create(name));
                else
                    await DeleteByName(restarted, name);
            }
            var listed = (await restarted.Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries.Select(e => e.Volume.VolumeId);
            var expected = wanted.Select(n => ResourceId.FromName(ResourceKind.Volume, n).Value).ToList();
            Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
            PoolContents.Read(_pool).AssertExactly(expected);
        }
    }

    private static Task DeleteByName(DriverProcess driver, string name) =>
        driver.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = ResourceId.FromName(ResourceKind.Volume, name).Value }).ResponseAsync;

    private static async Task Quietly(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException)
        {
            // Cut off by the kill: the CO will retry.
        }
    }
}
