using Loam.Node;
using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;

namespace Loam.Tests.Unit.Node;

public sealed class VolumePublisherTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoContext = new Dictionary<string, string>();
    private readonly NodeHarness _node = new();
    private VolumePublisher Publisher => _node.Get<VolumePublisher>();

    private static VolumeCapabilitySpec Mount(AccessMode mode = AccessMode.SingleNodeWriter, params string[] flags) => new(AccessType.Mount, mode, null, flags);

    private static VolumeCapabilitySpec Block(AccessMode mode = AccessMode.SingleNodeWriter) => new(AccessType.Block, mode);

    private async Task<(StoredVolume Volume, string Staging)> Staged(VolumeCapabilitySpec capability, string name = "pvc")
    {
        var volume = _node.CreateVolume(name, type: capability.AccessType);
        var staging = _node.Staging(name + "-staging");
        await _node.Get<VolumeStager>().StageAsync(new StageRequest(volume.Id.Value, staging, capability, false), default);
        return (volume, staging);
    }

    [Fact]
    public async Task Publish_binds_the_staged_filesystem_and_a_repeat_changes_nothing()
    {
        var (volume, staging) = await Staged(Mount());
        var target = _node.Target();

        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, NoContext));
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, NoContext));

        var bind = Assert.Single(_node.Kernel.MountsAt(target));
        Assert.Equal(_node.Kernel.MountsAt(staging).Single().Source, bind.Source);
        Assert.Equal(PathKind.Directory, _node.Kernel.Inspect(target).Kind);
    }

    [Fact]
    public void Publish_without_a_staging_path_or_before_staging_is_a_failed_precondition()
    {
        var volume = _node.CreateVolume("pvc-unstaged");

        var noPath = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, null, _node.Target(), Mount(), false, NoContext)));
        var notStaged = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, _node.Staging(), _node.Target(), Mount(), false, NoContext)));
        var blockNotStaged = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, _node.Staging(), _node.Target(), Block(), false, NoContext)));

        Assert.All(new[] { noPath, notStaged, blockNotStaged }, e => Assert.Equal(StorageError.FailedPrecondition, e.Error));
        Assert.Empty(_node.Kernel.Read());
    }

    [Fact]
    public async Task Publishing_the_same_target_read_only_after_read_write_is_already_exists()
    {
        var (volume, staging) = await Staged(Mount());
        var target = _node.Target();
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, NoContext));

        var e = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), true, NoContext)));
        var flags = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(AccessMode.SingleNodeWriter, "noexec"), false, NoContext)));

        Assert.Equal(StorageError.AlreadyExists, e.Error);
        Assert.Equal(StorageError.AlreadyExists, flags.Error);
    }

    [Theory]
    [InlineData(AccessMode.SingleNodeWriter, false)]
    [InlineData(AccessMode.SingleNodeSingleWriter, false)]
    [InlineData(AccessMode.SingleNodeMultiWriter, true)]
    public async Task A_second_target_is_allowed_only_for_modes_that_share_a_node(AccessMode mode, bool allowed)
    {
        var (volume, staging) = await Staged(Mount(mode));
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, _node.Target("one"), Mount(mode), false, NoContext));

        var second = Record.Exception(() => Publisher.Publish(new PublishRequest(volume.Id.Value, staging, _node.Target("two"), Mount(mode), false, NoContext)));

        if (allowed)
            Assert.Null(second);
        else
            Assert.Equal(StorageError.FailedPrecondition, Assert.IsType<StorageException>(second).Error);
    }

    [Fact]
    public async Task A_block_publish_binds_the_device_node_onto_a_file_and_unpublish_removes_it()
    {
        var (volume, staging) = await Staged(Block());
        var target = _node.Target();

        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Block(), false, NoContext));
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Block(), false, NoContext));

        Assert.Equal(_node.Kernel.List().Single().Number, _node.Kernel.Inspect(target).DeviceNumber);
        Assert.Single(_node.Kernel.MountsAt(target));
        Publisher.Unpublish(volume.Id.Value, target);
        Assert.False(_node.Kernel.Inspect(target).Exists);
        Assert.Empty(_node.Kernel.Read());
    }

    [Fact]
    public async Task A_read_only_block_publish_of_a_read_write_staged_volume_uses_a_read_only_companion_device()
    {
        var (volume, staging) = await Staged(Block(AccessMode.SingleNodeMultiWriter));
        var target = _node.Target();

        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Block(AccessMode.SingleNodeMultiWriter), true, NoContext));

        Assert.Equal(2, _node.Kernel.List().Count);
        var companion = _node.Kernel.List().Single(d => d.ReadOnly);
        Assert.Equal(companion.Number, _node.Kernel.Inspect(target).DeviceNumber);
        Publisher.Unpublish(volume.Id.Value, target);
        Assert.False(Assert.Single(_node.Kernel.List()).ReadOnly);
    }

    [Fact]
    public async Task A_block_target_whose_device_was_detached_is_cleaned_up_by_unpublish()
    {
        var (volume, staging) = await Staged(Block());
        var target = _node.Target();
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Block(), false, NoContext));
        _node.Kernel.Detach(_node.Kernel.List().Single().DevicePath);

        Publisher.Unpublish(volume.Id.Value, target);

        Assert.Empty(_node.Kernel.Read());
        Assert.False(_node.Kernel.Inspect(target).Exists);
    }

    [Fact]
    public async Task A_block_target_whose_device_number_now_serves_another_image_is_cleaned_up_by_unpublish()
    {
        var (volume, staging) = await Staged(Block());
        var target = _node.Target();
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Block(), false, NoContext));
        _node.Kernel.ReuseFor(_node.Kernel.List().Single().DevicePath, "/var/lib/other/volume.img");

        Publisher.Unpublish(volume.Id.Value, target);

        Assert.DoesNotContain(_node.Kernel.Read(), m => m.MountPoint == target);
        Assert.False(_node.Kernel.Inspect(target).Exists);
    }

    [Fact]
    public async Task Unpublish_leaves_another_volumes_mount_alone()
    {
        var (mine, _) = await Staged(Mount(), "pvc-mine");
        var (theirs, theirStaging) = await Staged(Mount(), "pvc-theirs");
        var target = _node.Target();
        Publisher.Publish(new PublishRequest(theirs.Id.Value, theirStaging, target, Mount(), false, NoContext));

        var known = Assert.Throws<StorageException>(() => Publisher.Unpublish(mine.Id.Value, target));
        var unknown = Assert.Throws<StorageException>(() => Publisher.Unpublish("vol-00000000000000000000000000000000", target));

        Assert.Equal(StorageError.FailedPrecondition, known.Error);
        Assert.Equal(StorageError.NotFound, unknown.Error);
        Assert.Single(_node.Kernel.MountsAt(target));
    }

    [Fact]
    public void Unpublish_of_a_target_that_is_already_gone_succeeds()
    {
        var volume = _node.CreateVolume("pvc-gone");

        Publisher.Unpublish(volume.Id.Value, _node.Target());
        Publisher.Unpublish("vol-00000000000000000000000000000000", _node.Target());
    }

    [Fact]
    public async Task A_corrupt_target_mount_is_unmounted_and_bound_again()
    {
        var (volume, staging) = await Staged(Mount());
        var target = _node.Target();
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, NoContext));
        _node.Kernel.CorruptPaths.Add(target);

        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, target, Mount(), false, NoContext));

        Assert.Single(_node.Kernel.MountsAt(target));
    }

    [Fact]
    public async Task A_volume_staged_read_only_cannot_be_published_read_write()
    {
        var volume = _node.CreateVolume("pvc-rox");
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("ext4", null));
        var staging = _node.Staging();
        await _node.Get<VolumeStager>().StageAsync(new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: true), default);

        var e = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, staging, _node.Target(), Mount(), false, NoContext)));
        Publisher.Publish(new PublishRequest(volume.Id.Value, staging, _node.Target(), Mount(), true, NoContext));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
    }

    [Fact]
    public async Task A_target_outside_the_allowed_roots_is_invalid()
    {
        var (volume, staging) = await Staged(Mount());

        var e = Assert.Throws<StorageException>(() => Publisher.Publish(new PublishRequest(volume.Id.Value, staging, "/etc/target", Mount(), false, NoContext)));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
    }

    public void Dispose() => _node.Dispose();
}
