using Loam.Node;
using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Volumes;

namespace Loam.Tests.Unit.Node;

public sealed class VolumeStagerTests : IDisposable
{
    private readonly NodeHarness _node = new();
    private VolumeStager Stager => _node.Get<VolumeStager>();

    private static VolumeCapabilitySpec Mount(string? fsType = null, AccessMode mode = AccessMode.SingleNodeWriter, params string[] flags) =>
        new(AccessType.Mount, mode, fsType, flags);

    [Fact]
    public async Task NodeStage_formats_a_blank_device_once_and_mounts_it_at_the_staging_path()
    {
        var volume = _node.CreateVolume("pvc-a");
        var staging = _node.Staging();

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: false), default);
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: false), default);

        Assert.Single(_node.Kernel.Formatted);
        var mount = Assert.Single(_node.Kernel.MountsAt(staging));
        Assert.Equal("ext4", mount.FsType);
        Assert.Equal(volume.ImagePath, Assert.Single(_node.Kernel.List()).BackingFile);
    }

    [Fact]
    public async Task A_device_that_already_holds_a_filesystem_is_mounted_as_it_is()
    {
        var volume = _node.CreateVolume("pvc-xfs", size: 512L << 20);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("xfs", null));

        await Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), false), default);

        Assert.Empty(_node.Kernel.Formatted);
        Assert.Equal("xfs", _node.Kernel.Read().Single().FsType);
    }

    [Fact]
    public async Task A_device_holding_a_partition_table_is_never_formatted_over()
    {
        var volume = _node.CreateVolume("pvc-pt");
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(null, "a gpt partition table"));

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), false), default));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Empty(_node.Kernel.Formatted);
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task A_filesystem_other_than_the_capability_names_is_a_failed_precondition()
    {
        var volume = _node.CreateVolume("pvc-other");
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("btrfs", null));

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount("ext4"), false), default));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Empty(_node.Kernel.Read());
    }

    [Fact]
    public async Task Staging_a_staged_volume_at_a_second_path_is_a_failed_precondition_and_the_first_still_unstages()
    {
        var volume = _node.CreateVolume("pvc-twice");
        var first = _node.Staging("first");
        var second = _node.Staging("second");
        await Stager.StageAsync(new StageRequest(volume.Id.Value, first, Mount(), false), default);

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, second, Mount(), false), default));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains(first, e.Message, StringComparison.Ordinal);
        Assert.Empty(_node.Kernel.MountsAt(second));
        Stager.Unstage(volume.Id.Value, first);
        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task A_failed_mount_detaches_the_device_it_attached()
    {
        var volume = _node.CreateVolume("pvc-fail");
        _node.Kernel.NextMountFailure = StorageException.Internal("mount failed: EINVAL");

        await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), false), default));

        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task Staging_again_with_another_filesystem_or_read_only_mode_is_already_exists()
    {
        var volume = _node.CreateVolume("pvc-again");
        var staging = _node.Staging();
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);

        var otherFs = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount("xfs"), false), default));
        var readOnly = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: true), default));
        var asBlock = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, staging, new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter), false), default));

        Assert.All(new[] { otherFs, readOnly, asBlock }, e => Assert.Equal(StorageError.AlreadyExists, e.Error));
    }

    [Fact]
    public async Task A_staging_path_holding_something_else_is_already_exists_and_left_alone()
    {
        var mine = _node.CreateVolume("pvc-mine");
        var other = _node.CreateVolume("pvc-theirs");
        var staging = _node.Staging();
        await Stager.StageAsync(new StageRequest(other.Id.Value, staging, Mount(), false), default);

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(mine.Id.Value, staging, Mount(), false), default));

        Assert.Equal(StorageError.AlreadyExists, e.Error);
        Assert.Single(_node.Kernel.MountsAt(staging));
    }

    [Fact]
    public async Task A_corrupt_staging_mount_is_unmounted_and_made_again()
    {
        var volume = _node.CreateVolume("pvc-corrupt");
        var staging = _node.Staging();
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);
        _node.Kernel.CorruptPaths.Add(staging);

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);

        Assert.Single(_node.Kernel.MountsAt(staging));
        Assert.Single(_node.Kernel.List());
        Assert.Equal(PathKind.Directory, _node.Kernel.Inspect(staging).Kind);
    }

    [Fact]
    public async Task A_mount_left_from_a_deleted_image_is_replaced_by_the_current_one()
    {
        var volume = _node.CreateVolume("pvc-stale");
        var staging = _node.Staging();
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);
        var stale = _node.Kernel.List().Single();
        _node.Kernel.MarkBackingDeleted(stale.DevicePath);

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);

        var mount = Assert.Single(_node.Kernel.MountsAt(staging));
        Assert.NotEqual(stale.DevicePath, mount.Source);
    }

    [Fact]
    public async Task A_volume_of_another_node_or_an_unknown_volume_is_refused_before_anything_is_attached()
    {
        var elsewhere = _node.CreateVolume("pvc-far", node: "other-node");

        var far = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(elsewhere.Id.Value, _node.Staging(), Mount(), false), default));
        var unknown = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest("vol-00000000000000000000000000000000", _node.Staging(), Mount(), false), default));

        Assert.Equal(StorageError.FailedPrecondition, far.Error);
        Assert.Equal(StorageError.NotFound, unknown.Error);
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task A_read_only_attachment_stages_read_only_and_cannot_format_a_blank_volume()
    {
        var volume = _node.CreateVolume("pvc-rox");

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), ReadOnly: true), default));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task The_mount_group_owns_the_staged_root_unless_it_is_read_only()
    {
        var volume = _node.CreateVolume("pvc-group");
        var staging = _node.Staging();
        var capability = Mount() with { MountGroup = "3000" };

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, capability, false), default);

        Assert.Equal(3000u, _node.Kernel.Groups[staging]);
    }

    [Fact]
    public async Task Unstage_refuses_while_the_volume_is_still_published_and_then_detaches()
    {
        var volume = _node.CreateVolume("pvc-busy");
        var staging = _node.Staging();
        var target = _node.Target();
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);
        _node.Get<VolumePublisher>().Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, new Dictionary<string, string>()));

        var e = Assert.Throws<StorageException>(() => Stager.Unstage(volume.Id.Value, staging));
        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains(target, e.Message, StringComparison.Ordinal);

        _node.Get<VolumePublisher>().Unpublish(volume.Id.Value, target);
        Stager.Unstage(volume.Id.Value, staging);
        Stager.Unstage(volume.Id.Value, staging);
        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task Unstage_thaws_a_filesystem_left_frozen_before_unmounting_it_and_detaching()
    {
        var volume = _node.CreateVolume("pvc-frozen");
        var staging = _node.Staging();
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), false), default);
        _node.Freezer.Freeze(staging);

        Stager.Unstage(volume.Id.Value, staging);

        Assert.Empty(_node.Freezer.Frozen);
        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public void Unstage_of_a_volume_that_is_not_staged_or_does_not_exist_succeeds()
    {
        var volume = _node.CreateVolume("pvc-never");

        Stager.Unstage(volume.Id.Value, _node.Staging());
        Stager.Unstage("vol-00000000000000000000000000000000", _node.Staging());
        Stager.Unstage("csi-anything", _node.Staging());
    }

    [Fact]
    public async Task Block_staging_is_the_attached_device_alone_and_unstage_detaches_it()
    {
        var volume = _node.CreateVolume("pvc-block", type: AccessType.Block);
        var staging = _node.Staging();
        var block = new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter);

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, block, false), default);
        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, block, false), default);

        Assert.Single(_node.Kernel.List());
        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.Formatted);
        Stager.Unstage(volume.Id.Value, staging);
        Assert.Empty(_node.Kernel.List());
    }

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task An_ext4_clone_smaller_than_its_device_is_grown_offline_before_it_is_mounted()
    {
        var source = _node.CreateVolume("pvc-src");
        var clone = _node.Provisioner.Create(new CreateVolumeSpec
        {
            Name = "pvc-clone",
            Capacity = new CapacityRange(128L << 20, 0),
            Capabilities = [Mount()],
            Source = new ContentSource(ResourceKind.Volume, source.Id.Value),
        });
        _node.Kernel.SetSignature(clone.ImagePath, new DeviceSignature("ext4", null));
        _node.Kernel.SmallFileSystems["/dev/loop0"] = 64L << 20;
        var staging = _node.Staging();

        await Stager.StageAsync(new StageRequest(clone.Id.Value, staging, Mount(), ReadOnly: false), default);

        Assert.Empty(_node.Kernel.Formatted);
        Assert.Equal("/dev/loop0", Assert.Single(_node.Kernel.GrownUnmounted));
        Assert.Empty(_node.Kernel.Grown);
        Assert.Equal("ext4", Assert.Single(_node.Kernel.MountsAt(staging)).FsType);
    }

    [Fact]
    public async Task An_ext4_filesystem_that_fills_its_device_is_not_grown_at_stage()
    {
        var volume = _node.CreateVolume("pvc-plain");

        await Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), ReadOnly: false), default);

        Assert.Empty(_node.Kernel.GrownUnmounted);
        Assert.Empty(_node.Kernel.Grown);
    }

    [Fact]
    public async Task An_xfs_filesystem_is_grown_right_after_it_is_mounted()
    {
        var volume = _node.CreateVolume("pvc-xfsgrow", size: 512L << 20);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("xfs", null));
        var staging = _node.Staging();

        await Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: false), default);

        Assert.Equal(("/dev/loop0", staging, "xfs"), Assert.Single(_node.Kernel.Grown));
        Assert.Single(_node.Kernel.MountsAt(staging));
    }

    [Theory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public async Task A_stage_that_cannot_grow_the_filesystem_fails_and_leaves_nothing_mounted_or_attached(string fsType)
    {
        var volume = _node.CreateVolume("pvc-nogrow", size: 512L << 20);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(fsType, null));
        _node.Kernel.SmallFileSystems["/dev/loop0"] = 256L << 20;
        _node.Kernel.NextGrowFailure = StorageException.Internal("resize2fs failed");
        var staging = _node.Staging();

        var e = await Assert.ThrowsAsync<StorageException>(() => Stager.StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: false), default));

        Assert.Equal(StorageError.Internal, e.Error);
        Assert.Empty(_node.Kernel.MountsAt(staging));
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task A_read_only_stage_never_grows_the_filesystem()
    {
        var volume = _node.CreateVolume("pvc-rogrow");
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("ext4", null));
        _node.Kernel.SmallFileSystems["/dev/loop0"] = 32L << 20;

        await Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(), ReadOnly: true), default);

        Assert.Empty(_node.Kernel.GrownUnmounted);
        Assert.Empty(_node.Kernel.Grown);
    }
}
