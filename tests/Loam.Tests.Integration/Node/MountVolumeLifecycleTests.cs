using Csi.V1;

namespace Loam.Tests.Integration.Node;

/// <summary>Filesystem volumes through the whole node lifecycle, on pools of every supported filesystem.</summary>
public sealed class MountVolumeLifecycleTests
{
    private const long Size = 512L << 20;

    [RootTheory]
    [InlineData("ext4", "ext4")]
    [InlineData("xfs", "xfs")]
    [InlineData("btrfs", "btrfs")]
    [InlineData("xfs", "ext4")]
    [InlineData("btrfs", "xfs")]
    [InlineData("ext4", "btrfs")]
    public async Task Data_written_through_a_publish_survives_unstage_and_restage(string poolFs, string volumeFs)
    {
        await using var bed = await Testbed.StartAsync(poolFs, "life");
        var capability = Testbed.Mount(volumeFs);
        var volume = await bed.CreateVolumeAsync("pvc-life", Size, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");

        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);
        Assert.Equal(volumeFs, FileSystemAt(target));
        await File.WriteAllTextAsync(Path.Combine(target, "hello.txt"), "kept across unstage");
        await bed.UnpublishAsync(volume.VolumeId, target);
        await bed.UnstageAsync(volume.VolumeId, staging);

        Assert.False(Path.Exists(target));
        Assert.Empty(bed.MountsBelowMountRoot());
        Assert.Empty(bed.VolumeLoopDevices());

        await bed.StageAsync(volume.VolumeId, staging, capability);
        var again = bed.TargetPath("pv", pod: "second-pod");
        await bed.PublishAsync(volume.VolumeId, staging, again, capability);
        Assert.Equal("kept across unstage", await File.ReadAllTextAsync(Path.Combine(again, "hello.txt")));
        await bed.UnpublishAsync(volume.VolumeId, again);
        await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.Empty(bed.VolumeLoopDevices());
    }

    [RootFact]
    public async Task Every_call_repeated_gives_the_same_answer_and_one_mount_each()
    {
        await using var bed = await Testbed.StartAsync("ext4", "idem");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-idem", Size, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");

        for (var i = 0; i < 3; i++)
            await bed.StageAsync(volume.VolumeId, staging, capability);
        for (var i = 0; i < 3; i++)
            await bed.PublishAsync(volume.VolumeId, staging, target, capability);

        Assert.Single(bed.MountsBelowMountRoot(), m => m == staging);
        Assert.Single(bed.MountsBelowMountRoot(), m => m == target);
        Assert.Single(bed.VolumeLoopDevices());

        for (var i = 0; i < 3; i++)
            await bed.UnpublishAsync(volume.VolumeId, target);
        for (var i = 0; i < 3; i++)
            await bed.UnstageAsync(volume.VolumeId, staging);
        Assert.Empty(bed.MountsBelowMountRoot());
        Assert.Empty(bed.VolumeLoopDevices());
    }

    [RootFact]
    public async Task A_read_only_publish_refuses_writes_and_a_second_one_with_another_mode_is_refused()
    {
        await using var bed = await Testbed.StartAsync("ext4", "ro");
        var capability = Testbed.Mount(mode: VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeMultiWriter);
        var volume = await bed.CreateVolumeAsync("pvc-ro", Size, capability);
        var staging = bed.StagingPath("pv");
        var writable = bed.TargetPath("pv", "writer");
        var readOnly = bed.TargetPath("pv", "reader");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, writable, capability);
        await bed.PublishAsync(volume.VolumeId, staging, readOnly, capability, readOnly: true);

        await File.WriteAllTextAsync(Path.Combine(writable, "w.txt"), "from the writer");
        Assert.Equal("from the writer", await File.ReadAllTextAsync(Path.Combine(readOnly, "w.txt")));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(readOnly, "r.txt"), "refused"));

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bed.PublishAsync(volume.VolumeId, staging, readOnly, capability, readOnly: false));
        Assert.Equal(Grpc.Core.StatusCode.AlreadyExists, e.StatusCode);
    }

    [RootFact]
    public async Task A_single_writer_volume_refuses_a_second_target()
    {
        await using var bed = await Testbed.StartAsync("ext4", "snsw");
        var capability = Testbed.Mount(mode: VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeSingleWriter);
        var volume = await bed.CreateVolumeAsync("pvc-snsw", Size, capability);
        var staging = bed.StagingPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, bed.TargetPath("pv", "one"), capability);

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bed.PublishAsync(volume.VolumeId, staging, bed.TargetPath("pv", "two"), capability));

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, e.StatusCode);
        Assert.False(Path.Exists(bed.TargetPath("pv", "two")));
    }

    [RootFact]
    public async Task Allowed_mount_flags_show_on_the_mounts_and_the_mount_group_owns_the_root()
    {
        await using var bed = await Testbed.StartAsync("ext4", "flags");
        var capability = Testbed.Mount("ext4", VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, "noatime", "nosuid,nodev", "commit=30");
        capability.Mount.VolumeMountGroup = "4321";
        var volume = await bed.CreateVolumeAsync("pvc-flags", Size, capability);
        var staging = bed.StagingPath("pv");
        var target = bed.TargetPath("pv");
        await bed.StageAsync(volume.VolumeId, staging, capability);
        await bed.PublishAsync(volume.VolumeId, staging, target, capability);

        var mount = new Loam.Storage.Os.ProcMountTable().Read().Last(m => m.MountPoint == target);
        Assert.Contains("noatime", mount.MountOptions);
        Assert.Contains("nosuid", mount.MountOptions);
        Assert.Contains("nodev", mount.MountOptions);
        Assert.Contains("commit=30", mount.SuperOptions);
        Assert.Equal(0, Mono.Unix.Native.Syscall.stat(target, out var st));
        Assert.Equal(4321u, st.st_gid);
        Assert.True((st.st_mode & Mono.Unix.Native.FilePermissions.S_ISGID) != 0);
    }

    [RootFact]
    public async Task A_mount_flag_that_names_another_device_is_refused_and_nothing_is_mounted()
    {
        await using var bed = await Testbed.StartAsync("ext4", "badflag");
        var capability = Testbed.Mount("ext4", VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, "journal_path=/dev/vda");
        var volume = await bed.CreateVolumeAsync("pvc-badflag", Size, Testbed.Mount("ext4"));
        var staging = bed.StagingPath("pv");

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bed.StageAsync(volume.VolumeId, staging, capability));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.DoesNotContain("/dev/vda", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(bed.MountsBelowMountRoot());
        Assert.Empty(bed.VolumeLoopDevices());
    }

    [RootFact]
    public async Task A_staging_path_behind_a_symlink_leading_out_of_the_allowed_root_is_refused()
    {
        await using var bed = await Testbed.StartAsync("ext4", "symlink");
        var capability = Testbed.Mount();
        var volume = await bed.CreateVolumeAsync("pvc-link", Size, capability);
        var outside = bed.Root.Folder("outside");
        var link = Path.Combine(bed.MountRoot, "escape");
        File.CreateSymbolicLink(link, outside);

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bed.StageAsync(volume.VolumeId, Path.Combine(link, "staging"), capability));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("outside the allowed roots", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Empty(bed.VolumeLoopDevices());
    }

    private static string FileSystemAt(string path) =>
        new Loam.Storage.Os.ProcMountTable().Read().Last(m => m.MountPoint == path).FsType;
}
