using System.Globalization;
using Csi.V1;
using Grpc.Core;
using Loam.Tests.Chaos.Harness;

namespace Loam.Tests.Chaos.Hostile;

/// <summary>
/// Malformed and malicious requests for every RPC: each gets a code the spec defines for bad input
/// (never UNKNOWN or INTERNAL), the driver keeps answering Probe, dangerous mount flags are
/// INVALID_ARGUMENT, and nothing outside the pools and allowed roots changes.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly StatusCode[] NeverForBadInput = [StatusCode.Unknown, StatusCode.Internal, StatusCode.DataLoss, StatusCode.Unavailable, StatusCode.DeadlineExceeded];

    [RootFact]
    public async Task Every_malformed_request_gets_a_spec_code_the_driver_survives_and_nothing_outside_its_roots_changes()
    {
        await using var world = await HostileWorld.StartAsync();
        var bed = world.Bed;
        var sentinelBefore = TreeSnapshot.Take(world.Sentinel);
        var mountsBefore = MountCleanup.MountsUnder(bed.Root.Path + "/");
        var problems = new List<string>();
        var codes = new Dictionary<StatusCode, int>();
        var rpcs = new HashSet<string>(StringComparer.Ordinal);
        var created = new List<string>();

        foreach (var call in HostileRequests.All(world))
        {
            rpcs.Add(call.Rpc);
            if (call.Rpc == "NodePublishVolume")
                await world.EnsureStagedAsync();
            Status status;
            try
            {
                await call.Send(bed.Connection, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60)));
                status = Status.DefaultSuccess;
            }
            catch (RpcException e)
            {
                status = e.Status;
            }
            codes[status.StatusCode] = codes.GetValueOrDefault(status.StatusCode) + 1;
            if (NeverForBadInput.Contains(status.StatusCode))
                problems.Add($"{call.Rpc} with {call.What}: {status}");
            else if (call.MustBeInvalidArgument && status.StatusCode != StatusCode.InvalidArgument)
                problems.Add($"{call.Rpc} with {call.What}: expected INVALID_ARGUMENT, got {status}");
            if (!bed.DriverAlive)
            {
                problems.Add($"the driver died after {call.Rpc} with {call.What}:\n{bed.AllOutput}");
                await bed.KillDriverAsync();
                await bed.StartDriverAsync();
            }
        }

        var probe = await bed.Connection.Identity.ProbeAsync(new ProbeRequest());
        Assert.True(probe.Ready ?? true);
        Assert.Equal(sentinelBefore, TreeSnapshot.Take(world.Sentinel));
        var outside = MountCleanup.MountsUnder(bed.Root.Path + "/").Except(mountsBefore).Where(m => !m.StartsWith(bed.MountRoot + "/", StringComparison.Ordinal));
        Assert.Empty(outside);
        var summary = string.Join(", ", codes.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));
        Assert.True(problems.Count == 0, $"{problems.Count} problems ({summary}):\n{string.Join('\n', problems)}");
        Assert.True(rpcs.Count >= 25, $"only {rpcs.Count} RPCs covered");

        // Whatever odd-but-legal names made volumes, the pool holds exactly those plus the real one, whole.
        var co = new CoClient(bed, new Random(9));
        var listed = await PoolAudit.ListAllAsync(co);
        foreach (var id in listed.Keys.Where(id => id != world.VolumeId))
            await co.Call("DeleteVolume", (c, o) => c.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = id }, o));
        try
        {
            var snapshots = await co.Call("ListSnapshots", (c, o) => c.Controller.ListSnapshotsAsync(new ListSnapshotsRequest(), o));
            foreach (var entry in snapshots.Entries)
                await co.Call("DeleteSnapshot", (c, o) => c.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = entry.Snapshot.SnapshotId }, o));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // A build without snapshots made none.
        }
        var staging = world.StagingPath;
        foreach (var mount in bed.MountsBelowMountRoot().Where(m => m != staging))
            await co.Call("NodeUnpublishVolume", (c, o) => c.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = world.VolumeId, TargetPath = mount }, o));
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [world.VolumeId] = world.Volume.CapacityBytes }, [staging], 1));
    }
}
