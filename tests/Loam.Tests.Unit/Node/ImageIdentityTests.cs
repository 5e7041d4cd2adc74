using Csi.V1;
using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Snapshots;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// A driver restarted in a new container (a new mount namespace, the pool bind-mounted from
/// another host path) reads the backing file of the devices its predecessor attached as a
/// different path. Every node call, the controller's delete and the freezer still know them.
/// </summary>
public sealed class ImageIdentityTests : IDisposable
{
    private readonly NodeHarness _node = new();

    private static VolumeCapability Mount() =>
        new() { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Mount = new() };

    private static VolumeCapability Block() =>
        new() { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Block = new() };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_restart_in_another_namespace_every_node_call_still_finds_the_volumes_device(bool block)
    {
        var capability = block ? Block() : Mount();
        var volume = _node.CreateVolume(block ? "pvc-block" : "pvc-fs");
        var staging = _node.Staging();
        var target = _node.Target();
        await Stage(volume.Id.Value, staging, capability);
        await Publish(volume.Id.Value, staging, target, capability);
        var device = Assert.Single(_node.Kernel.List());
        _node.Kernel.SeenFromAnotherNamespace(device.DevicePath, "/volumes/" + Path.GetFileName(volume.ImagePath));

        await Stage(volume.Id.Value, staging, capability);
        await Publish(volume.Id.Value, staging, target, capability);
        var stats = await _node.Node.NodeGetVolumeStats(
            new NodeGetVolumeStatsRequest { VolumeId = volume.Id.Value, VolumePath = target }, NodeHarness.Call());
        var refused = Assert.Throws<StorageException>(() => _node.Provisioner.Delete(volume.Id));

        Assert.Equal(device.DevicePath, Assert.Single(_node.Kernel.List()).DevicePath);
        Assert.False(stats.VolumeCondition.Abnormal, stats.VolumeCondition.Message);
        Assert.Equal(StorageError.FailedPrecondition, refused.Error);
        Assert.Contains(device.DevicePath, refused.Message, StringComparison.Ordinal);

        await _node.Node.NodeUnpublishVolume(new NodeUnpublishVolumeRequest { VolumeId = volume.Id.Value, TargetPath = target }, NodeHarness.Call());
        await _node.Node.NodeUnstageVolume(new NodeUnstageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging }, NodeHarness.Call());

        Assert.Empty(_node.Kernel.List());
        Assert.Empty(_node.Kernel.Read());
        Assert.True(_node.Provisioner.Delete(volume.Id));
    }

    [Fact]
    public async Task A_device_whose_image_was_deleted_is_found_by_the_pools_device_and_the_images_name_and_detached()
    {
        var volume = _node.CreateVolume("pvc-gone");
        var staging = _node.Staging();
        await Stage(volume.Id.Value, staging, Mount());
        var device = Assert.Single(_node.Kernel.List());
        File.Delete(volume.ImagePath);
        _node.Kernel.SeenFromAnotherNamespace(device.DevicePath, "/pool/volumes/" + Path.GetFileName(volume.ImagePath) + LoopDevice.DeletedSuffix);
        _node.Kernel.Change(device.DevicePath, d => d with { Image = d.Image with { Inode = d.Image.Inode + 7 } });

        await _node.Node.NodeUnstageVolume(new NodeUnstageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging }, NodeHarness.Call());

        Assert.Empty(_node.Kernel.List());
        Assert.Empty(_node.Kernel.Read());
    }

    [Fact]
    public async Task A_deleted_image_of_the_same_name_on_another_filesystem_is_not_the_volumes()
    {
        var volume = _node.CreateVolume("pvc-elsewhere");
        var staging = _node.Staging();
        await Stage(volume.Id.Value, staging, Mount());
        var device = Assert.Single(_node.Kernel.List());
        _node.Kernel.SeenFromAnotherNamespace(device.DevicePath, "/elsewhere/" + Path.GetFileName(volume.ImagePath) + LoopDevice.DeletedSuffix);
        _node.Kernel.Change(device.DevicePath, d => d with { Image = new ImageIdentity(d.Image.Device + 1, d.Image.Inode + 7) });

        var e = await Assert.ThrowsAsync<StorageException>(() => _node.Node.NodeUnstageVolume(
            new NodeUnstageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging }, NodeHarness.Call()));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Single(_node.Kernel.List());
        Assert.Single(_node.Kernel.MountsAt(staging));
        _node.Kernel.Unmount(staging);
        _node.Kernel.Detach(device.DevicePath);
    }

    [Fact]
    public async Task The_freezer_and_the_start_up_thaw_find_a_staged_volume_whatever_its_backing_text()
    {
        var volume = _node.CreateVolume("pvc-freeze");
        var staging = _node.Staging();
        await Stage(volume.Id.Value, staging, Mount());
        var device = Assert.Single(_node.Kernel.List());
        _node.Kernel.SeenFromAnotherNamespace(device.DevicePath, "/pools/default/volumes/" + Path.GetFileName(volume.ImagePath));
        var freezer = _node.Get<VolumeFreezer>();

        using (var frozen = freezer.Freeze([volume]))
            Assert.Equal([staging], _node.Freezer.Frozen);
        _node.Freezer.Freeze(staging);
        var thawed = freezer.ThawLeftovers(_node.Get<Loam.Storage.Pools.PoolSet>());

        Assert.Equal([staging], thawed);
        Assert.Empty(_node.Freezer.Frozen);
    }

    [Fact]
    public async Task A_device_of_another_file_that_happens_to_print_the_images_path_is_not_the_volumes()
    {
        var volume = _node.CreateVolume("pvc-impostor");
        var other = Path.Combine(_node.PoolPath, "other.img");
        await File.WriteAllBytesAsync(other, new byte[4096]);
        var impostor = _node.Kernel.Attach(other, readOnly: false, directIo: true);
        _node.Kernel.SeenFromAnotherNamespace(impostor.DevicePath, volume.ImagePath);

        Assert.True(_node.Provisioner.Delete(volume.Id));
        Assert.Single(_node.Kernel.List());
        _node.Kernel.Detach(impostor.DevicePath);
    }

    private Task<NodeStageVolumeResponse> Stage(string id, string staging, VolumeCapability capability) =>
        _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = id, StagingTargetPath = staging, VolumeCapability = capability }, NodeHarness.Call());

    private Task<NodePublishVolumeResponse> Publish(string id, string staging, string target, VolumeCapability capability) =>
        _node.Node.NodePublishVolume(
            new NodePublishVolumeRequest { VolumeId = id, StagingTargetPath = staging, TargetPath = target, VolumeCapability = capability }, NodeHarness.Call());

    public void Dispose() => _node.Dispose();
}
