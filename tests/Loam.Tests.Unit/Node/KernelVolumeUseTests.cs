using Csi.V1;
using Loam.Storage;
using Loam.Storage.Volumes;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// Controller and node of one process (mode all) on a fake kernel, driven the way Docker Swarm
/// drives them: NodeUnstageVolume never comes, so ControllerUnpublish or DeleteVolume unstage
/// what nothing publishes any more, and never what something still does.
/// </summary>
public sealed class KernelVolumeUseTests : IDisposable
{
    private readonly NodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static VolumeCapability Mount() =>
        new() { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Mount = new() };

    private static VolumeCapability Block() =>
        new() { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Block = new() };

    private async Task ControllerPublish(StoredVolume volume, VolumeCapability capability) =>
        await _node.Controller.ControllerPublishVolume(
            new ControllerPublishVolumeRequest { VolumeId = volume.Id.Value, NodeId = NodeHarness.NodeId, VolumeCapability = capability }, NodeHarness.Call());

    private async Task ControllerUnpublish(StoredVolume volume) =>
        await _node.Controller.ControllerUnpublishVolume(
            new ControllerUnpublishVolumeRequest { VolumeId = volume.Id.Value, NodeId = NodeHarness.NodeId }, NodeHarness.Call());

    private async Task Delete(StoredVolume volume) =>
        await _node.Controller.DeleteVolume(new DeleteVolumeRequest { VolumeId = volume.Id.Value }, NodeHarness.Call());

    private async Task StageAndPublish(StoredVolume volume, string staging, string target, VolumeCapability capability)
    {
        await _node.Node.NodeStageVolume(
            new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = capability }, NodeHarness.Call());
        await _node.Node.NodePublishVolume(new NodePublishVolumeRequest
        {
            VolumeId = volume.Id.Value, StagingTargetPath = staging, TargetPath = target, VolumeCapability = capability,
        }, NodeHarness.Call());
    }

    private async Task Unpublish(StoredVolume volume, string target) =>
        await _node.Node.NodeUnpublishVolume(new NodeUnpublishVolumeRequest { VolumeId = volume.Id.Value, TargetPath = target }, NodeHarness.Call());

    [Fact]
    public async Task ControllerUnpublish_after_NodeUnpublish_unstages_and_DeleteVolume_then_deletes()
    {
        var volume = _node.CreateVolume("swarm-fs");
        await ControllerPublish(volume, Mount());
        await StageAndPublish(volume, _node.Staging(), _node.Target(), Mount());
        await Unpublish(volume, _node.Target());

        await ControllerUnpublish(volume);

        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.List());
        await Delete(volume);
        Assert.Null(_node.Get<VolumeStore>().Find(volume.Id));
        Assert.False(File.Exists(volume.ImagePath));
    }

    [Fact]
    public async Task DeleteVolume_unstages_a_volume_whose_ControllerUnpublish_never_came_and_releases_its_attachment()
    {
        var volume = _node.CreateVolume("swarm-restarted");
        await ControllerPublish(volume, Mount());
        await StageAndPublish(volume, _node.Staging(), _node.Target(), Mount());
        await Unpublish(volume, _node.Target());

        await Delete(volume);

        Assert.Empty(_node.Kernel.Read());
        Assert.Empty(_node.Kernel.List());
        Assert.Null(_node.Get<VolumeStore>().Find(volume.Id));
    }

    [Fact]
    public async Task A_published_volume_is_never_unstaged_and_its_delete_names_the_target()
    {
        var volume = _node.CreateVolume("swarm-busy");
        var target = _node.Target();
        await ControllerPublish(volume, Mount());
        await StageAndPublish(volume, _node.Staging(), target, Mount());

        await ControllerUnpublish(volume);
        var e = await Assert.ThrowsAsync<StorageException>(() => Delete(volume));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Contains(target, e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _node.Kernel.Read().Count);
        Assert.Single(_node.Kernel.List());
        Assert.NotNull(_node.Get<VolumeStore>().Find(volume.Id));
    }

    [Fact]
    public async Task A_block_volume_is_detached_once_its_device_node_is_no_longer_bound()
    {
        var volume = _node.CreateVolume("swarm-block", type: AccessType.Block);
        var target = _node.Target();
        await StageAndPublish(volume, _node.Staging(), target, Block());

        var refused = await Assert.ThrowsAsync<StorageException>(() => Delete(volume));
        await Unpublish(volume, target);
        await Delete(volume);

        Assert.Contains(target, refused.Message, StringComparison.Ordinal);
        Assert.Empty(_node.Kernel.List());
        Assert.Null(_node.Get<VolumeStore>().Find(volume.Id));
    }

    [Fact]
    public async Task A_mount_of_the_volume_outside_the_allowed_roots_is_never_undone()
    {
        var volume = _node.CreateVolume("hand-mounted");
        var device = _node.Kernel.Attach(volume.ImagePath, readOnly: false, directIo: true);
        _node.Kernel.Mount(device.DevicePath, "/mnt/by-hand", "ext4", 0, "");

        var e = await Assert.ThrowsAsync<StorageException>(() => Delete(volume));

        Assert.Contains("/mnt/by-hand", e.Message, StringComparison.Ordinal);
        Assert.Single(_node.Kernel.Read());
        Assert.Single(_node.Kernel.List());
    }
}
