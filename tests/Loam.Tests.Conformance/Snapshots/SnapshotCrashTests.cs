using Csi.V1;
using Grpc.Core;
using Loam.Storage;

namespace Loam.Tests.Conformance.Snapshots;

/// <summary>
/// kill -9 in the middle of CreateSnapshot and CreateVolumeGroupSnapshot, then restart and
/// let the CO retry: nothing half-made survives the start-up sweep and the retry makes exactly one.
/// </summary>
public sealed class SnapshotCrashTests : IDisposable
{
    private readonly TestRoot _root = new("snapcrash");
    private readonly string _pool;

    public SnapshotCrashTests() => _pool = _root.Folder("pool");

    public void Dispose() => _root.Dispose();

    private Task<DriverProcess> Start(string? crashPoint = null) =>
        DriverProcess.StartAsync(_root.Combine("csi.sock"), ["--node-id", "n1", "--pool", $"default={_pool}"],
            environment: crashPoint is null ? null : new Dictionary<string, string> { ["LOAM_CRASH_POINT"] = crashPoint });

    private static async Task<string> MakeVolume(DriverProcess driver, string name)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = 64L << 20 } };
        request.VolumeCapabilities.Add(new VolumeCapability { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Block = new() });
        return (await driver.Csi.Controller.CreateVolumeAsync(request)).Volume.VolumeId;
    }

    // Lock files are left out: one stays beside its record while the snapshot exists.
    private string[] SnapshotFiles() => [.. Directory.GetFiles(Path.Combine(_pool, "snapshots")).Select(Path.GetFileName).OfType<string>()
        .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static async Task CrashDuring(DriverProcess driver, Func<Task> call)
    {
        await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(137, await driver.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task A_snapshot_killed_after_its_image_leaves_nothing_and_its_retry_makes_exactly_one()
    {
        string volumeId;
        await using (var setup = await Start())
            volumeId = await MakeVolume(setup, "pvc-a");
        var crashing = await Start(CrashPoints.SnapshotImageMade);
        var request = new CreateSnapshotRequest { Name = "snap-a", SourceVolumeId = volumeId };
        await CrashDuring(crashing, () => crashing.Csi.Controller.CreateSnapshotAsync(request).ResponseAsync);
        Assert.Single(SnapshotFiles());

        await using var driver = await Start();
        Assert.Empty(SnapshotFiles());
        var snapshot = (await driver.Csi.Controller.CreateSnapshotAsync(request)).Snapshot;

        Assert.Equal([snapshot.SnapshotId + ".img", snapshot.SnapshotId + ".json"], SnapshotFiles());
        Assert.Single((await driver.Csi.Controller.ListSnapshotsAsync(new ListSnapshotsRequest())).Entries);
    }

    [Fact]
    public async Task A_group_snapshot_killed_before_its_record_leaves_no_members_and_its_retry_makes_one_group()
    {
        string a, b;
        await using (var setup = await Start())
        {
            a = await MakeVolume(setup, "pvc-a");
            b = await MakeVolume(setup, "pvc-b");
        }
        var request = new CreateVolumeGroupSnapshotRequest { Name = "group-a" };
        request.SourceVolumeIds.Add([a, b]);
        var crashing = await Start(CrashPoints.GroupMembersCut);
        await CrashDuring(crashing, () => crashing.Csi.GroupController.CreateVolumeGroupSnapshotAsync(request).ResponseAsync);
        Assert.Equal(4, SnapshotFiles().Length);

        await using var driver = await Start();
        Assert.Empty(SnapshotFiles());
        var group = (await driver.Csi.GroupController.CreateVolumeGroupSnapshotAsync(request)).GroupSnapshot;

        Assert.Equal(2, group.Snapshots.Count);
        Assert.Equal(4, SnapshotFiles().Length);
        Assert.Single(Directory.GetFiles(Path.Combine(_pool, "groups"), "*.json"));
    }
}
