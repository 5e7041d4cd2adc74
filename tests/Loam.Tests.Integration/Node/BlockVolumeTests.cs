using Grpc.Core;

namespace Loam.Tests.Integration.Node;

/// <summary>Raw block volumes: the loop device node bound onto a file at the target.</summary>
public sealed class BlockVolumeTests
{
    private const long Size = 64L << 20;

    [RootTheory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public async Task Bytes_written_through_the_published_device_are_read_back_after_restaging(string poolFs)
    {
        await using var bed = await Testbed.StartAsync(poolFs, "block");
        var capability = Testbed.Block();
        var volume = await bed.CreateVolumeAsync("pvc-block", Size, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        var pattern = Pattern(1 << 20);

        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        Assert.Equal(Size, DeviceSize(target));
        WriteAt(target, 4L << 20, pattern);
        await bed.UnpublishAsync(volume.VolumeId, target);
        await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.False(Path.Exists(target));
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));

        await bed.StageAsync(volume.VolumeId, staging, capability);
        var again = bed.TargetPath("pv", "second-pod");
        await bed.PublishAsync(volume.VolumeId, staging, again, capability);
        Assert.Equal(pattern, ReadAt(again, 4L << 20, pattern.Length));
        await bed.UnpublishAsync(volume.VolumeId, again);
        await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(bed.MountsBelowMountRoot());
    }

    [RootFact]
    public async Task A_read_only_publish_of_a_read_write_staged_volume_gets_a_device_that_refuses_writes()
    {
        await using var bed = await Testbed.StartAsync("ext4", "blockro");
        var capability = Testbed.Block(global::Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeMultiWriter);
        var volume = await bed.CreateVolumeAsync("pvc-blockro", Size, capability);
        var staging = bed.StagingPath("pv");
        var writer = bed.TargetPath("pv", "writer");
        var reader = bed.TargetPath("pv", "reader");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, writer, capability);
        await bed.PublishAsync(volume.VolumeId, staging, reader, capability, readOnly: true);
        var pattern = Pattern(4096);

        WriteAt(writer, 0, pattern);

        Assert.Equal(pattern, ReadAt(reader, 0, pattern.Length));
        Assert.ThrowsAny<Exception>(() => WriteAt(reader, 0, pattern));
        Assert.Equal(2, bed.VolumeLoopDevices().Count);

        await bed.UnpublishAsync(volume.VolumeId, reader);
        Assert.Single(bed.VolumeLoopDevices());
        var e = await Assert.ThrowsAsync<RpcException>(() => bed.UnstageAsync(volume.VolumeId, staging));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        await bed.UnpublishAsync(volume.VolumeId, writer);
        await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.Empty(bed.VolumeLoopDevices());
    }

    [RootFact]
    public async Task A_block_volume_is_never_formatted()
    {
        await using var bed = await Testbed.StartAsync("ext4", "blockraw");
        var capability = Testbed.Block();
        var volume = await bed.CreateVolumeAsync("pvc-raw", Size, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);

        var probe = Shell.TryRun("blkid", "-p", target);

        Assert.Equal(2, probe.ExitCode);
    }

    internal static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    internal static void WriteAt(string device, long offset, byte[] bytes)
    {
        using var stream = new FileStream(device, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        stream.Position = offset;
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    internal static byte[] ReadAt(string device, long offset, int length)
    {
        using var stream = new FileStream(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0);
        stream.Position = offset;
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    internal static long DeviceSize(string device) =>
        long.Parse(Shell.Run("blockdev", "--getsize64", device).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
