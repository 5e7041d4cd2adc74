using Csi.V1;
using Grpc.Core;
using Loam.Storage;
using Mode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Tests.Conformance.Recovery;

/// <summary>
/// A controller and a node plugin as two real `loam serve` processes on one pool, as the shared
/// overlay's Deployment and DaemonSet (or Nomad's two jobs) run them: the volume lock holds
/// between them both ways, and a snapshot's freeze is never unmounted by the node's unstage.
/// </summary>
public sealed class SplitDeploymentTests : IDisposable
{
    private readonly TestRoot _root = new("split");
    private readonly string _pool;
    private readonly string _hold;

    public SplitDeploymentTests()
    {
        _pool = _root.Folder("pool");
        _hold = _root.Combine("held");
    }

    public void Dispose() => _root.Dispose();

    private Task<DriverProcess> Start(string mode, string? holdPoint = null) =>
        DriverProcess.StartAsync(_root.Combine(mode + ".sock"),
            ["--mode", mode, "--node-id", "n1", "--pool", $"default={_pool}", "--allowed-root", _root.Path],
            environment: holdPoint is null ? null : new Dictionary<string, string>
            {
                ["LOAM_HOLD_POINT"] = holdPoint,
                ["LOAM_HOLD_FILE"] = _hold,
            });

    private static VolumeCapability Mount() =>
        new() { AccessMode = new() { Mode = Mode.SingleNodeWriter }, Mount = new() { FsType = "ext4" } };

    private static async Task<string> MakeVolume(DriverProcess controller)
    {
        var request = new CreateVolumeRequest { Name = "pvc-split", CapacityRange = new() { RequiredBytes = 64L << 20 } };
        request.VolumeCapabilities.Add(Mount());
        return (await controller.Csi.Controller.CreateVolumeAsync(request)).Volume.VolumeId;
    }

    private NodeStageVolumeRequest Stage(string volumeId) =>
        new() { VolumeId = volumeId, StagingTargetPath = _root.Combine("staging"), VolumeCapability = Mount() };

    private NodeUnstageVolumeRequest Unstage(string volumeId) =>
        new() { VolumeId = volumeId, StagingTargetPath = _root.Combine("staging") };

    private async Task WaitUntilHeld(Task call)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!File.Exists(_hold))
        {
            if (call.IsCompleted)
                await call; // It ended without reaching the hold point: show why.
            await Task.Delay(20, deadline.Token);
        }
    }

    private bool Mounted(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == path);

    [RootFact]
    public async Task A_snapshot_holding_the_freeze_in_the_controller_makes_the_nodes_unstage_aborted_until_it_ends()
    {
        await using var controller = await Start("controller", CrashPoints.SnapshotImageMade);
        await using var node = await Start("node");
        Directory.CreateDirectory(_root.Combine("staging"));
        var volumeId = await MakeVolume(controller);
        await node.Csi.Node.NodeStageVolumeAsync(Stage(volumeId));

        var snapshot = controller.Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "snap", SourceVolumeId = volumeId }).ResponseAsync;
        await WaitUntilHeld(snapshot);

        var e = await Assert.ThrowsAsync<RpcException>(() => node.Csi.Node.NodeUnstageVolumeAsync(Unstage(volumeId)).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.True(Mounted(_root.Combine("staging")));

        File.Delete(_hold);
        Assert.NotEmpty((await snapshot).Snapshot.SnapshotId);
        await node.Csi.Node.NodeUnstageVolumeAsync(Unstage(volumeId));
        Assert.False(Mounted(_root.Combine("staging")));
    }

    [RootFact]
    public async Task A_stage_in_the_node_makes_the_controllers_calls_on_that_volume_aborted_until_it_ends()
    {
        await using var controller = await Start("controller");
        await using var node = await Start("node", HoldPoints.StageFormatted);
        Directory.CreateDirectory(_root.Combine("staging"));
        var volumeId = await MakeVolume(controller);

        var stage = node.Csi.Node.NodeStageVolumeAsync(Stage(volumeId)).ResponseAsync;
        await WaitUntilHeld(stage);

        var snapshot = await Assert.ThrowsAsync<RpcException>(() =>
            controller.Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "snap", SourceVolumeId = volumeId }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, snapshot.StatusCode);
        var delete = await Assert.ThrowsAsync<RpcException>(() =>
            controller.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, delete.StatusCode);

        File.Delete(_hold);
        await stage;
        await controller.Csi.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "snap", SourceVolumeId = volumeId });
        await node.Csi.Node.NodeUnstageVolumeAsync(Unstage(volumeId));
    }

    [RootFact]
    public async Task A_controller_starting_beside_a_busy_node_sweeps_only_what_nobody_is_making()
    {
        await using var node = await Start("node", HoldPoints.StageFormatted);
        await using (var setup = await Start("controller"))
            await MakeVolume(setup);
        var volumeId = ResourceId.FromName(ResourceKind.Volume, "pvc-split").Value;
        Directory.CreateDirectory(_root.Combine("staging"));
        var stage = node.Csi.Node.NodeStageVolumeAsync(Stage(volumeId)).ResponseAsync;
        await WaitUntilHeld(stage);
        // What the node has in flight for this volume (its lock is held), and a crash's leftover of another.
        var inFlight = Path.Combine(_pool, "volumes", volumeId + ".json.0001" + ".tmp");
        File.WriteAllText(inFlight, "being written");
        var leftover = Path.Combine(_pool, "volumes", ResourceId.FromName(ResourceKind.Volume, "crashed").Value + ".img");
        File.WriteAllText(leftover, "half-made");

        await using (var controller = await Start("controller"))
        {
            Assert.True(File.Exists(inFlight));
            Assert.False(File.Exists(leftover));
        }

        File.Delete(_hold);
        await stage;
        File.Delete(inFlight);
        await node.Csi.Node.NodeUnstageVolumeAsync(Unstage(volumeId));
    }
}
