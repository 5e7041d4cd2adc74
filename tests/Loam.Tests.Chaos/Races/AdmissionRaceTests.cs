using Csi.V1;
using Grpc.Core;
using Loam.Tests.Chaos.Harness;
using Mono.Unix.Native;
using Xunit.Abstractions;

namespace Loam.Tests.Chaos.Races;

/// <summary>
/// Every limit against many calls at once on different volumes, through the real `loam serve`:
/// exactly as many succeed as the limit allows and the rest are RESOURCE_EXHAUSTED. Each test
/// writes "attempted, succeeded, limit" to the test output.
/// </summary>
public sealed class AdmissionRaceTests(ITestOutputHelper output)
{
    private const int Calls = 12;

    [RootFact]
    public async Task Concurrent_publishes_of_different_volumes_to_one_node_never_pass_its_attach_limit()
    {
        const int limit = 2;
        await using var bed = await ChaosBed.StartAsync("raceattach", maxVolumesPerNode: limit);
        var co = new CoClient(bed, new Random(11));
        var volumes = Enumerable.Range(0, Calls).Select(i => new CoVolume(bed, co, $"pvc-attach-{i}")).ToList();
        foreach (var volume in volumes)
            await volume.CreateAsync(16L << 20, thick: false);

        var codes = await Task.WhenAll(volumes.Select(v => Outcome(v.AttachAsync)));

        Report("ControllerPublishVolume", codes, limit);
        Assert.Equal(limit, codes.Count(c => c == StatusCode.OK));
        Assert.All(codes, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, $"got {c}"));
        var listed = await co.Call("ListVolumes", (c, o) => c.Controller.ListVolumesAsync(new ListVolumesRequest(), o));
        Assert.Equal(limit, listed.Entries.Count(e => e.Status.PublishedNodeIds.Contains(ChaosBed.NodeId)));
    }

    [RootFact]
    public async Task Concurrent_thin_creates_in_one_pool_never_promise_more_than_its_size()
    {
        const long size = 512L << 20;
        await using var bed = await ChaosBed.StartAsync("racethin");
        var co = new CoClient(bed, new Random(12));
        // Overcommit 1, no reserve: thin volumes may promise the filesystem's size, no more.
        var limit = (int)(Space(bed).Total / size);

        var volumes = Enumerable.Range(0, Calls).Select(i => new CoVolume(bed, co, $"pvc-thin-{i}")).ToList();
        var codes = await Task.WhenAll(volumes.Select(v => Outcome(() => v.CreateAsync(size, thick: false))));

        Report("CreateVolume thin", codes, limit);
        Assert.Equal(limit, codes.Count(c => c == StatusCode.OK));
        Assert.All(codes, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, $"got {c}"));
        var made = volumes.Where((_, i) => codes[i] == StatusCode.OK).ToDictionary(v => v.Id, v => v.CapacityBytes);
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, made, [], 0));
    }

    [RootFact]
    public async Task Concurrent_thick_creates_in_one_pool_never_take_more_than_is_free_beyond_the_reserve()
    {
        const long size = 32L << 20;
        const long reserve = 128L << 20;
        await using var bed = await ChaosBed.StartAsync("racethick", poolSize: 512L << 20,
            poolOptions: ",reserve=128Mi");
        var co = new CoClient(bed, new Random(13));
        var free = Space(bed).Available - reserve;
        // Each record takes a block besides its image, so the last one that fits alone may not fit after the others.
        var limit = (int)(free / size);

        var volumes = Enumerable.Range(0, Calls).Select(i => new CoVolume(bed, co, $"pvc-thick-{i}")).ToList();
        var codes = await Task.WhenAll(volumes.Select(v => Outcome(() => v.CreateAsync(size, thick: true))));

        Report("CreateVolume thick", codes, limit);
        var succeeded = codes.Count(c => c == StatusCode.OK);
        Assert.InRange(succeeded, limit - 1, limit);
        Assert.All(codes, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, $"got {c}"));
        Assert.True(Space(bed).Available >= reserve, $"the reserve was handed out: {Space(bed).Available} bytes left");
        var made = volumes.Where((_, i) => codes[i] == StatusCode.OK).ToDictionary(v => v.Id, v => v.CapacityBytes);
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, made, [], 0));
    }

    private void Report(string call, StatusCode[] codes, int limit) =>
        output.WriteLine(
            $"{call}: attempted {codes.Length}, succeeded {codes.Count(c => c == StatusCode.OK)}, limit {limit}");

    private static (long Total, long Available) Space(ChaosBed bed)
    {
        if (Syscall.statvfs(bed.PoolPath, out var s) != 0)
            throw new IOException($"statvfs {bed.PoolPath}: {Stdlib.GetLastError()}");
        return ((long)(s.f_blocks * s.f_frsize), (long)(s.f_bavail * s.f_frsize));
    }

    private static async Task<StatusCode> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
