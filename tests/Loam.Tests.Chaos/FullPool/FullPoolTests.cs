using System.Text.Json;
using Csi.V1;
using Grpc.Core;
using Loam.Storage.Records;
using Loam.Tests.Chaos.Harness;

namespace Loam.Tests.Chaos.FullPool;

/// <summary>
/// A pool whose filesystem (a small real ext4 made from an image file) runs out of space: controller
/// calls say RESOURCE_EXHAUSTED and leave nothing half-made, records stay parseable, volumes keep a
/// clean filesystem, and everything works again once space returns.
/// </summary>
public sealed class FullPoolTests
{
    private const long PoolSize = 192L << 20;

    [RootFact]
    public async Task Thick_creates_that_together_overflow_the_pool_each_succeed_or_say_resource_exhausted_and_leave_no_half_made_image()
    {
        await using var bed = await ChaosBed.StartAsync("fullthick", PoolSize);
        var co = new CoClient(bed, new Random(1));

        var tooBig = await Assert.ThrowsAsync<RpcException>(() => new CoVolume(bed, co, "pvc-huge").CreateAsync(1L << 30, thick: true));
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.StatusCode);

        // Each fits alone; together they cannot, whichever passes the capacity check first.
        var volumes = Enumerable.Range(0, 4).Select(i => new CoVolume(bed, co, $"pvc-thick-{i}")).ToList();
        var outcomes = await Task.WhenAll(volumes.Select(async v =>
        {
            try
            {
                await v.CreateAsync(64L << 20, thick: true);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));

        Assert.All(outcomes, code => Assert.True(code is StatusCode.OK or StatusCode.ResourceExhausted, $"got {code}"));
        Assert.Contains(StatusCode.ResourceExhausted, outcomes);
        var made = volumes.Where((_, i) => outcomes[i] == StatusCode.OK).ToList();
        Assert.NotEmpty(made);
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, made.ToDictionary(v => v.Id, v => v.CapacityBytes), [], 0));

        // Space returns: the refused creates now succeed.
        foreach (var volume in made)
            await volume.DeleteAsync();
        var retried = volumes.First(v => !made.Contains(v));
        await retried.CreateAsync(64L << 20, thick: true);
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [retried.Id] = retried.CapacityBytes }, [], 0));
    }

    [RootFact]
    public async Task On_a_filled_pool_filesystem_controller_calls_say_resource_exhausted_keep_records_whole_and_recover_when_space_returns()
    {
        await using var bed = await ChaosBed.StartAsync("fullfs", PoolSize);
        var co = new CoClient(bed, new Random(2));
        var volume = new CoVolume(bed, co, "pvc-kept");
        await volume.CreateAsync(32L << 20, thick: false);
        var victim = new CoVolume(bed, co, "pvc-victim");
        await victim.CreateAsync(16L << 20, thick: false);
        var recordPath = Path.Combine(bed.PoolPath, "volumes", volume.Id + ".json");
        var recordBefore = await File.ReadAllTextAsync(recordPath);

        var filler = FillFileSystem(bed.Pool.MountPoint);

        var create = await Assert.ThrowsAsync<RpcException>(() => new CoVolume(bed, co, "pvc-new").CreateAsync(16L << 20, thick: false));
        Assert.Equal(StatusCode.ResourceExhausted, create.StatusCode);
        var attach = await Assert.ThrowsAsync<RpcException>(volume.AttachAsync);
        Assert.Equal(StatusCode.ResourceExhausted, attach.StatusCode);
        Assert.Equal(recordBefore, await File.ReadAllTextAsync(recordPath));
        // Deleting needs no space, and is how an operator makes some.
        await victim.DeleteAsync();
        var capacity = await co.Call("GetCapacity", (c, o) => c.Controller.GetCapacityAsync(new GetCapacityRequest(), o));
        Assert.True(capacity.AvailableCapacity < 16L << 20, $"available {capacity.AvailableCapacity}");

        Directory.Delete(filler, recursive: true);
        await volume.AttachAsync();
        await volume.StageAsync();
        await volume.PublishAsync();
        volume.WritePattern();
        Assert.Null(volume.VerifyPattern());
        var record = JsonSerializer.Deserialize(await File.ReadAllTextAsync(recordPath), StorageJson.Default.VolumeRecord);
        Assert.Equal([ChaosBed.NodeId], record!.Attachments.Select(a => a.NodeId));
        await volume.TakeDownAsync();
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [volume.Id] = volume.CapacityBytes }, [], 0));
    }

    [RootFact]
    public async Task Writes_that_overflow_thin_overcommitted_volumes_fail_inside_the_volume_and_its_filesystem_checks_clean_after_space_returns()
    {
        await using var bed = await ChaosBed.StartAsync("fullthin", PoolSize, ",overcommit=4");
        var co = new CoClient(bed, new Random(3));
        // What the operator frees later to give the space back.
        var ballast = Path.Combine(bed.Pool.MountPoint, "ballast");
        Shell.Run("dd", "if=/dev/zero", "of=" + ballast, "bs=1M", "count=48", "conv=fsync", "status=none");
        var first = new CoVolume(bed, co, "pvc-thin-a");
        var second = new CoVolume(bed, co, "pvc-thin-b");
        await first.CreateAsync(256L << 20, thick: false);
        await second.CreateAsync(256L << 20, thick: false);
        foreach (var volume in new[] { first, second })
        {
            await volume.BringUpAsync();
            volume.WritePattern();
        }

        // 2 x 128 MiB of data into the 140 MiB left in the pool: the second volume's writes hit ENOSPC in the pool.
        var firstFill = WriteUntilFull(Path.Combine(first.TargetPath, "fill"), 128);
        var secondFill = WriteUntilFull(Path.Combine(second.TargetPath, "fill"), 128);
        Assert.False(firstFill && secondFill, "the pool should have run out of space");
        Assert.True(bed.DriverAlive);
        var create = await Assert.ThrowsAsync<RpcException>(() => new CoVolume(bed, co, "pvc-thin-c").CreateAsync(64L << 20, thick: false));
        Assert.Equal(StatusCode.ResourceExhausted, create.StatusCode);

        // Detaching rewrites the record: on the full pool that is RESOURCE_EXHAUSTED, the record kept whole.
        await co.Call("NodeUnpublishVolume", (c, o) => c.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = first.Id, TargetPath = first.TargetPath }, o));
        await co.Call("NodeUnstageVolume", (c, o) => c.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = first.Id, StagingTargetPath = first.StagingPath }, o));
        var detach = await Assert.ThrowsAsync<RpcException>(first.TakeDownAsync);
        Assert.Equal(StatusCode.ResourceExhausted, detach.StatusCode);

        // Space returns: the ballast goes, then the first volume entirely.
        File.Delete(ballast);
        await first.TakeDownAsync();
        await first.DeleteAsync();
        await second.TakeDownAsync();
        var image = Path.Combine(bed.PoolPath, "volumes", second.Id + ".img");
        var check = Shell.TryRun("e2fsck", "-f", "-n", image);
        Assert.True(check.ExitCode == 0, $"e2fsck -f -n found damage (exit {check.ExitCode}): {check.Output}{check.Error}");

        await second.BringUpAsync();
        Assert.Null(second.VerifyPattern());
        second.WritePattern();
        Assert.Null(second.VerifyPattern());
        await second.TakeDownAsync();
        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [second.Id] = second.CapacityBytes }, [], 0));
    }

    /// <summary>
    /// Fills a filesystem until a small synced write fails, as root (reserved blocks too); ext4 still
    /// finds room for small files after one large file hit ENOSPC, so small files go last.
    /// Returns the folder of filler files: deleting it gives the space back.
    /// </summary>
    private static string FillFileSystem(string mountPoint)
    {
        var fillers = Directory.CreateDirectory(Path.Combine(mountPoint, "filler")).FullName;
        Shell.TryRun("dd", "if=/dev/zero", "of=" + Path.Combine(fillers, "big"), "bs=1M", "status=none");
        var block = new byte[1024]; // small pools get 1 KiB blocks
        for (var i = 0; i < 100_000; i++)
        {
            try
            {
                using var file = new FileStream(Path.Combine(fillers, $"small-{i}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
                file.Write(block);
                file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                return fillers;
            }
        }
        throw new InvalidOperationException($"{mountPoint} never filled up");
    }

    /// <returns>whether all <paramref name="mebibytes"/> were written and synced.</returns>
    private static bool WriteUntilFull(string path, int mebibytes) =>
        Shell.TryRun("dd", "if=/dev/urandom", "of=" + path, "bs=1M", $"count={mebibytes}", "conv=fsync", "status=none").ExitCode == 0;
}
