using Csi.V1;
using Grpc.Core;
using Loam.Tests.Chaos.Harness;

namespace Loam.Tests.Chaos.Races;

/// <summary>
/// Many COs at once, issuing the same and conflicting operations on the same volumes and names.
/// Each caller retries ABORTED ("an operation on this volume is in flight") as the spec asks; the
/// final answers are all spec codes chosen from what each conflict allows, and the end state holds
/// exactly one of each thing that should exist.
/// </summary>
public sealed class RaceTests
{
    private const int Clients = 8;

    [RootFact]
    public async Task Creates_of_one_name_with_different_sizes_make_one_volume_and_larger_requests_get_already_exists()
    {
        await using var bed = await ChaosBed.StartAsync("racecreate");
        var co = new CoClient(bed, new Random(1));
        var sizes = Enumerable.Range(0, Clients).Select(i => (16L + 16 * (i % 3)) << 20).ToList();
        var volumes = sizes.Select(_ => new CoVolume(bed, co, "pvc-same")).ToList();

        var codes = await Task.WhenAll(volumes.Select((v, i) => Outcome(() => v.CreateAsync(sizes[i], thick: false))));

        AssertOnly(codes, StatusCode.OK, StatusCode.AlreadyExists);
        var winners = volumes.Where((_, i) => codes[i].StatusCode == StatusCode.OK).ToList();
        Assert.Single(winners.Select(v => (v.Id, v.CapacityBytes)).Distinct());
        var winner = winners[0];
        // Without limit_bytes, the existing volume is compatible with every request it is large enough for.
        for (var i = 0; i < Clients; i++)
            Assert.Equal(sizes[i] <= winner.CapacityBytes, codes[i].StatusCode == StatusCode.OK);
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [winner.Id] = winner.CapacityBytes }, [], 0));
    }

    [RootFact]
    public async Task Deletes_racing_attaches_and_expansions_end_with_the_volume_either_whole_or_gone()
    {
        await using var bed = await ChaosBed.StartAsync("racedelete");
        var co = new CoClient(bed, new Random(2));
        for (var round = 0; round < 6; round++)
        {
            var volume = new CoVolume(bed, co, $"pvc-doomed-{round}");
            await volume.CreateAsync(16L << 20, thick: false);
            var expand = new ControllerExpandVolumeRequest { VolumeId = volume.Id, CapacityRange = new() { RequiredBytes = 32L << 20 }, VolumeCapability = volume.Capability };
            var calls = new List<(string What, Task<Status> Outcome)>();
            for (var i = 0; i < Clients / 2; i++)
            {
                calls.Add(("delete", Outcome(volume.DeleteAsync)));
                calls.Add(("attach", Outcome(volume.AttachAsync)));
                calls.Add(("expand", Outcome(() => co.Call("expand", (c, o) => c.Controller.ControllerExpandVolumeAsync(expand, o)))));
            }
            await Task.WhenAll(calls.Select(c => c.Outcome));

            foreach (var (what, outcome) in calls)
            {
                var allowed = what switch
                {
                    // An attached volume is detached by the CO before it deletes; until then FAILED_PRECONDITION is allowed.
                    "delete" => new[] { StatusCode.OK, StatusCode.FailedPrecondition },
                    _ => [StatusCode.OK, StatusCode.NotFound],
                };
                Assert.True(allowed.Contains(outcome.Result.StatusCode), $"{what} got {outcome.Result}");
            }
            // The CO finishes what it started: detach, then delete, and the volume is gone for good.
            await co.Call("detach", (c, o) => c.Controller.ControllerUnpublishVolumeAsync(new ControllerUnpublishVolumeRequest { VolumeId = volume.Id, NodeId = ChaosBed.NodeId }, o));
            await volume.DeleteAsync();
            Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long>(), [], 0));
        }
        Assert.True(co.CodesSeen.ContainsKey(StatusCode.Aborted), "concurrent calls on one volume should have met ABORTED at least once");
    }

    [RootFact]
    public async Task A_single_node_writer_attached_from_two_nodes_at_once_ends_attached_to_exactly_one()
    {
        await using var bed = await ChaosBed.StartAsync("racenodes", poolOptions: ",shared");
        var co = new CoClient(bed, new Random(3));
        const string otherNode = "chaos-node-2";
        await File.WriteAllTextAsync(Path.Combine(bed.PoolPath, "nodes", otherNode + ".json"),
            $$"""{"nodeId":"{{otherNode}}","maxVolumes":0,"registeredAt":"2026-01-01T00:00:00Z"}""");
        var volume = new CoVolume(bed, co, "pvc-rwo");
        await volume.CreateAsync(16L << 20, thick: false);

        var nodes = Enumerable.Range(0, Clients).Select(i => i % 2 == 0 ? ChaosBed.NodeId : otherNode).ToList();
        var codes = await Task.WhenAll(nodes.Select(node => Outcome(() => co.Call("attach", (c, o) => c.Controller.ControllerPublishVolumeAsync(
            new ControllerPublishVolumeRequest { VolumeId = volume.Id, NodeId = node, VolumeCapability = volume.Capability }, o)))));

        AssertOnly(codes, StatusCode.OK, StatusCode.FailedPrecondition);
        var attachedTo = nodes.Where((_, i) => codes[i].StatusCode == StatusCode.OK).Distinct().ToList();
        Assert.Single(attachedTo);
        var status = await co.Call("get", (c, o) => c.Controller.ControllerGetVolumeAsync(new ControllerGetVolumeRequest { VolumeId = volume.Id }, o));
        Assert.Equal(attachedTo, status.Status.PublishedNodeIds);
    }

    [RootFact]
    public async Task Stages_of_one_volume_to_two_paths_at_once_leave_one_staging_mount_and_one_loop_device()
    {
        await using var bed = await ChaosBed.StartAsync("racestage");
        var co = new CoClient(bed, new Random(4));
        var volume = new CoVolume(bed, co, "pvc-twice");
        await volume.CreateAsync(16L << 20, thick: false);
        await volume.AttachAsync();
        var paths = new[] { bed.StagingPath("first"), bed.StagingPath("second") };

        var staged = Enumerable.Range(0, Clients).Select(i => paths[i % 2]).ToList();
        var codes = await Task.WhenAll(staged.Select(path => Outcome(() => co.Call("stage", (c, o) => c.Node.NodeStageVolumeAsync(
            new NodeStageVolumeRequest { VolumeId = volume.Id, StagingTargetPath = path, VolumeCapability = volume.Capability }, o)))));

        // One staging path per volume and node: the first stage wins, a stage elsewhere is FAILED_PRECONDITION.
        AssertOnly(codes, StatusCode.OK, StatusCode.FailedPrecondition);
        var winners = staged.Where((_, i) => codes[i].StatusCode == StatusCode.OK).Distinct().ToList();
        Assert.Single(winners);
        Assert.Equal(winners, bed.MountsBelowMountRoot());
        Assert.Single(bed.VolumeLoopDevices());

        await co.Call("unstage", (c, o) => c.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = volume.Id, StagingTargetPath = winners[0] }, o));
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [volume.Id] = volume.CapacityBytes }, [], 0));
    }

    [RootFact]
    public async Task Publish_and_unpublish_storms_on_one_staged_volume_leave_the_mounts_the_last_calls_asked_for()
    {
        await using var bed = await ChaosBed.StartAsync("racepublish");
        var co = new CoClient(bed, new Random(5));
        // Several targets on one node need a multi-writer mode (SINGLE_NODE_WRITER allows one target).
        var volume = new CoVolume(bed, co, "pvc-storm", mode: VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeMultiWriter);
        await volume.CreateAsync(16L << 20, thick: false);
        await volume.BringUpAsync();
        volume.WritePattern();
        var targets = Enumerable.Range(0, 3).Select(i => bed.TargetPath($"storm-{i}")).ToList();

        var calls = Enumerable.Range(0, Clients * 2).Select(i => Outcome(async () =>
        {
            var target = targets[i % targets.Count];
            if (i % 2 == 0)
                await co.Call("publish", (c, o) => c.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
                {
                    VolumeId = volume.Id, StagingTargetPath = volume.StagingPath, TargetPath = target, VolumeCapability = volume.Capability,
                }, o));
            else
                await co.Call("unpublish", (c, o) => c.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volume.Id, TargetPath = target }, o));
        }));
        AssertOnly(await Task.WhenAll(calls), StatusCode.OK);

        // Whatever interleaving happened, a final publish then unpublish of each target converges.
        foreach (var target in targets)
        {
            await co.Call("publish", (c, o) => c.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
            {
                VolumeId = volume.Id, StagingTargetPath = volume.StagingPath, TargetPath = target, VolumeCapability = volume.Capability,
            }, o));
            Assert.Null(DataPattern.Verify(target, volume.PatternSha!));
            await co.Call("unpublish", (c, o) => c.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volume.Id, TargetPath = target }, o));
        }
        Assert.Equal(new[] { volume.StagingPath, volume.TargetPath }.Order(StringComparer.Ordinal), bed.MountsBelowMountRoot().Order(StringComparer.Ordinal));
        await volume.TakeDownAsync();
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [volume.Id] = volume.CapacityBytes }, [], 0));
    }

    /// <summary>The final answer of a call (after the CO's retries), with its message for failure reports.</summary>
    private static async Task<Status> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    private static void AssertOnly(IEnumerable<Status> outcomes, params StatusCode[] allowed)
    {
        foreach (var outcome in outcomes)
            Assert.True(allowed.Contains(outcome.StatusCode), $"got {outcome}, allowed only {string.Join(", ", allowed)}");
    }
}
