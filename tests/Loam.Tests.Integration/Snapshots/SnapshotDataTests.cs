using Csi.V1;
using static Loam.Tests.Integration.Snapshots.SnapshotBed;

namespace Loam.Tests.Integration.Snapshots;

/// <summary>
/// Snapshots, restores and clones through the real driver on real pools: what was written
/// before a snapshot is exactly what a restore reads, later writes stay out of it, reflink
/// pools share extents and other pools copy only the data.
/// </summary>
public sealed class SnapshotDataTests
{
    private const long VolumeSize = 128L << 20;

    [RootTheory]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    [InlineData("ext4")]
    public async Task A_restore_reads_exactly_what_was_written_before_the_snapshot_and_a_clone_what_is_there_now(string poolFs)
    {
        await using var bed = await Testbed.StartAsync(poolFs, "snap-" + poolFs, poolSize: 1L << 30);
        var capability = Testbed.Mount("ext4");
        var source = await bed.CreateVolumeAsync("pvc-src", VolumeSize, capability);
        var target = await bed.MountAsync(source.VolumeId, "src", capability);
        var before = RandomBytes(4 << 20);
        // Not synced: freezing the staged filesystem must flush it into the image.
        await File.WriteAllBytesAsync(Path.Combine(target, "before.bin"), before);

        var snapshot = await bed.SnapshotAsync("snap-1", source.VolumeId);

        var image = bed.SnapshotImage(snapshot.SnapshotId);
        if (poolFs is "xfs" or "btrfs")
            Assert.True(SharesExtents(image), $"on {poolFs} the snapshot should share extents with its source");
        else
        {
            var allocated = AllocatedBytes(image);
            Assert.False(SharesExtents(image));
            Assert.InRange(allocated, before.Length, VolumeSize / 4);
        }
        Assert.True(snapshot.ReadyToUse);
        Assert.Equal(VolumeSize, snapshot.SizeBytes);

        // The source was thawed: it takes writes again, which must not reach the snapshot.
        var after = RandomBytes(1 << 20);
        await File.WriteAllBytesAsync(Path.Combine(target, "before.bin"), after);
        await File.WriteAllTextAsync(Path.Combine(target, "after.txt"), "written after the snapshot");
        var clone = await bed.CreateFromAsync("pvc-clone", VolumeSize, capability, OfVolume(source.VolumeId));
        await bed.UnmountAsync(source.VolumeId, "src");
        // A source that now shares extents stages again (its loop device keeps 512-byte sectors).
        var again = await bed.MountAsync(source.VolumeId, "src-again", capability);
        Assert.Equal(after, await File.ReadAllBytesAsync(Path.Combine(again, "before.bin")));
        await bed.UnmountAsync(source.VolumeId, "src-again");
        await bed.Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = source.VolumeId });

        // The snapshot outlives its deleted source.
        var restored = await bed.CreateFromAsync("pvc-restore", VolumeSize, capability, OfSnapshot(snapshot.SnapshotId));
        var restoredTarget = await bed.MountAsync(restored.VolumeId, "restore", capability);
        var cloneTarget = await bed.MountAsync(clone.VolumeId, "clone", capability);

        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(restoredTarget, "before.bin")));
        Assert.False(File.Exists(Path.Combine(restoredTarget, "after.txt")));
        Assert.Equal(after, await File.ReadAllBytesAsync(Path.Combine(cloneTarget, "before.bin")));
        Assert.Equal("written after the snapshot", await File.ReadAllTextAsync(Path.Combine(cloneTarget, "after.txt")));
        await File.WriteAllTextAsync(Path.Combine(restoredTarget, "new.txt"), "a restore is writable");
    }

    [RootFact]
    public async Task A_restore_into_a_larger_volume_gets_its_filesystem_grown_at_stage()
    {
        await using var bed = await Testbed.StartAsync("xfs", "snap-grow", poolSize: 2L << 30);
        var capability = Testbed.Mount("xfs");
        var source = await bed.CreateVolumeAsync("pvc-src", 320L << 20, capability);
        var target = await bed.MountAsync(source.VolumeId, "src", capability);
        await File.WriteAllTextAsync(Path.Combine(target, "data.txt"), "kept through the restore");
        var snapshot = await bed.SnapshotAsync("snap-grow", source.VolumeId);

        var restored = await bed.CreateFromAsync("pvc-big", 640L << 20, capability, OfSnapshot(snapshot.SnapshotId));
        var restoredTarget = await bed.MountAsync(restored.VolumeId, "big", capability);

        Assert.Equal(640L << 20, restored.CapacityBytes);
        Assert.Equal("kept through the restore", await File.ReadAllTextAsync(Path.Combine(restoredTarget, "data.txt")));
        var total = new DriveInfo(restoredTarget).TotalSize;
        Assert.True(total > 500L << 20, $"the restored filesystem is {total} bytes; it should fill its 640 MiB device");
    }

    /// <summary>
    /// ext4 grows online only with CAP_SYS_RESOURCE, which sandboxes drop: the stage grows it
    /// offline before the first mount, so a restore and a clone into larger volumes get their size.
    /// </summary>
    [RootFact]
    public async Task A_restore_and_a_clone_into_larger_ext4_volumes_get_their_filesystem_grown_before_the_mount()
    {
        await using var bed = await Testbed.StartAsync("ext4", "snap-grow4", poolSize: 2L << 30);
        var capability = Testbed.Mount("ext4");
        var source = await bed.CreateVolumeAsync("pvc-src4", 128L << 20, capability);
        var target = await bed.MountAsync(source.VolumeId, "src", capability);
        await File.WriteAllTextAsync(Path.Combine(target, "data.txt"), "kept through the restore");
        var snapshot = await bed.SnapshotAsync("snap-grow4", source.VolumeId);
        await bed.UnmountAsync(source.VolumeId, "src");

        var restored = await bed.CreateFromAsync("pvc-big4", 512L << 20, capability, OfSnapshot(snapshot.SnapshotId));
        var clone = await bed.CreateFromAsync("pvc-clone4", 384L << 20, capability, OfVolume(source.VolumeId));
        var restoredTarget = await bed.MountAsync(restored.VolumeId, "big", capability);
        var cloneTarget = await bed.MountAsync(clone.VolumeId, "clone", capability);

        Assert.Equal("kept through the restore", await File.ReadAllTextAsync(Path.Combine(restoredTarget, "data.txt")));
        Assert.Equal("kept through the restore", await File.ReadAllTextAsync(Path.Combine(cloneTarget, "data.txt")));
        Assert.True(Total(restoredTarget) > 450L << 20, $"the restore is {Total(restoredTarget)} bytes; it should fill its 512 MiB device");
        Assert.True(Total(cloneTarget) > 330L << 20, $"the clone is {Total(cloneTarget)} bytes; it should fill its 384 MiB device");
    }

    private static long Total(string path)
    {
        Assert.Equal(0, Mono.Unix.Native.Syscall.statvfs(path, out var s));
        return (long)(s.f_blocks * s.f_frsize);
    }

    [RootFact]
    public async Task A_snapshot_that_runs_out_of_space_fails_cleanly_and_leaves_the_volume_writable()
    {
        // ext4 has no reflinks, so the snapshot is a real copy, which this small pool cannot hold.
        await using var bed = await Testbed.StartAsync("ext4", "snap-full", poolSize: 320L << 20);
        var capability = Testbed.Mount("ext4");
        var source = await bed.CreateVolumeAsync("pvc-full", 256L << 20, capability);
        var target = await bed.MountAsync(source.VolumeId, "full", capability);
        await File.WriteAllBytesAsync(Path.Combine(target, "big.bin"), RandomBytes(180 << 20));

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await bed.SnapshotAsync("snap-full", source.VolumeId));

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(bed.PoolPath, "snapshots")));
        // Thawed after the failure: a write completes.
        var write = File.WriteAllTextAsync(Path.Combine(target, "after.txt"), "still writable");
        Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30))));
        await write;
    }

    [RootFact]
    public async Task A_reflinked_snapshot_of_a_thick_volume_lowers_the_capacity_offered_to_thick_volumes()
    {
        await using var bed = await Testbed.StartAsync("xfs", "snap-thick", poolSize: 1L << 30);
        var request = new CreateVolumeRequest { Name = "pvc-thick", CapacityRange = new() { RequiredBytes = 128L << 20 } };
        request.VolumeCapabilities.Add(Testbed.Block());
        request.Parameters.Add("provisioning", "thick");
        var volume = (await bed.Csi.Controller.CreateVolumeAsync(request)).Volume;
        // Written blocks: xfs does not share preallocated (unwritten) extents.
        using (var image = new FileStream(bed.VolumeImage(volume.VolumeId), FileMode.Open, FileAccess.Write))
        {
            image.Write(RandomBytes(128 << 20));
            image.Flush(flushToDisk: true);
        }
        var capacity = new GetCapacityRequest();
        capacity.Parameters.Add("provisioning", "thick");
        var before = (await bed.Csi.Controller.GetCapacityAsync(capacity)).AvailableCapacity;

        var snapshot = await bed.SnapshotAsync("snap-thick", volume.VolumeId);
        var after = (await bed.Csi.Controller.GetCapacityAsync(capacity)).AvailableCapacity;
        Assert.True(SharesExtents(bed.SnapshotImage(snapshot.SnapshotId)));
        await bed.Csi.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot.SnapshotId });
        var released = (await bed.Csi.Controller.GetCapacityAsync(capacity)).AvailableCapacity;

        Assert.InRange(before - after, 120L << 20, 136L << 20);
        Assert.InRange(released - after, 120L << 20, 136L << 20);
    }
}
