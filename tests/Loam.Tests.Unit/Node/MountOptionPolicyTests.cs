using Loam.Node;
using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Node;

public sealed class MountOptionPolicyTests
{
    [Fact]
    public void Per_mount_flags_become_kernel_flags_and_filesystem_options_become_data()
    {
        var options = MountOptionPolicy.Parse(["noatime", "nosuid,nodev", "discard", "commit=30", "data=ordered"], FileSystemTypes.Ext4);

        Assert.Equal(KernelMountFlags.NoAtime | KernelMountFlags.NoSuid | KernelMountFlags.NoDev, options.Flags);
        Assert.Equal(["discard", "commit=30", "data=ordered"], options.Data);
        Assert.Equal("discard,commit=30,data=ordered", options.DataFor(FileSystemTypes.Ext4));
    }

    [Fact]
    public void Xfs_always_mounts_with_nouuid_so_that_a_clone_mounts_beside_its_source()
    {
        Assert.Equal("nouuid", MountOptionPolicy.Parse([], FileSystemTypes.Xfs).DataFor(FileSystemTypes.Xfs));
        Assert.Equal("nouuid", MountOptionPolicy.Parse(["nouuid"], FileSystemTypes.Xfs).DataFor(FileSystemTypes.Xfs));
    }

    [Theory]
    [InlineData("bind")]
    [InlineData("rbind")]
    [InlineData("remount")]
    [InlineData("move")]
    [InlineData("loop")]
    [InlineData("journal_path=/dev/sda")]
    [InlineData("journal_dev=8")]
    [InlineData("errors=panic")]
    [InlineData("data=ordered\nro")]
    [InlineData("commit=3/0")]
    [InlineData("commit= 30")]
    [InlineData("x-mount.mkdir")]
    [InlineData("context=\"system_u:object_r:container_file_t:s0\"")]
    [InlineData("uid=0")]
    public void Options_that_are_not_on_the_ext4_allow_list_are_invalid(string flag)
    {
        var e = Assert.Throws<StorageException>(() => MountOptionPolicy.Parse([flag], FileSystemTypes.Ext4));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
    }

    [Theory]
    [InlineData(FileSystemTypes.Xfs, "logdev=/dev/sdb")]
    [InlineData(FileSystemTypes.Xfs, "rtdev=/dev/sdb")]
    [InlineData(FileSystemTypes.Btrfs, "device=/dev/sdb")]
    [InlineData(FileSystemTypes.Btrfs, "subvol=/other")]
    [InlineData(FileSystemTypes.Btrfs, "fatal_errors=panic")]
    [InlineData(FileSystemTypes.Xfs, "commit=5")]
    public void Options_naming_another_device_or_subvolume_are_invalid(string fsType, string flag)
    {
        var e = Assert.Throws<StorageException>(() => MountOptionPolicy.Parse([flag], fsType));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
    }

    [Fact]
    public void The_error_names_the_option_but_never_its_value()
    {
        var e = Assert.Throws<StorageException>(() => MountOptionPolicy.Parse(["password=hunter2"], FileSystemTypes.Ext4));

        Assert.Contains("'password'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_both_ro_and_rw_is_invalid()
    {
        Assert.Throws<StorageException>(() => MountOptionPolicy.Parse(["ro", "rw"], FileSystemTypes.Ext4));
    }

    [Fact]
    public void Defaults_and_empty_pieces_are_accepted_and_change_nothing()
    {
        var options = MountOptionPolicy.Parse(["defaults", "rw,", ""], FileSystemTypes.Btrfs);

        Assert.Equal(KernelMountFlags.None, options.Flags);
        Assert.Empty(options.Data);
    }

    [Theory]
    [InlineData(FileSystemTypes.Btrfs, "compress=zstd:3")]
    [InlineData(FileSystemTypes.Btrfs, "space_cache=v2")]
    [InlineData(FileSystemTypes.Xfs, "allocsize=64k")]
    [InlineData(FileSystemTypes.Xfs, "inode64")]
    [InlineData(FileSystemTypes.Ext4, "errors=remount-ro")]
    public void Common_filesystem_options_are_allowed(string fsType, string flag)
    {
        Assert.Equal([flag], MountOptionPolicy.Parse([flag], fsType).Data);
    }

    [Fact]
    public void Requested_per_mount_flags_are_checked_against_a_mount()
    {
        var options = MountOptionPolicy.Parse(["noexec", "ro"], FileSystemTypes.Ext4);
        var mount = new MountInfo(1, 1, "7:0", "/", "/t", ["ro", "noexec", "relatime"], "ext4", "/dev/loop0", ["rw"]);

        Assert.True(options.AreSetOn(mount));
        Assert.False(options.AreSetOn(mount with { MountOptions = ["ro", "relatime"] }));
    }
}
