using Csi.V1;
using Loam.Node;
using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using RpcType = Csi.V1.NodeServiceCapability.Types.RPC.Types.Type;

namespace Loam.Tests.Unit.Node;

public sealed class NodeServiceTests : IDisposable
{
    private readonly NodeHarness _node = new();

    private static VolumeCapability Mount(string fsType = "") =>
        new() { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Mount = new() { FsType = fsType } };

    [Fact]
    public async Task Only_the_capabilities_that_work_are_advertised()
    {
        var response = await _node.Node.NodeGetCapabilities(new NodeGetCapabilitiesRequest(), NodeHarness.Call());

        Assert.Equal(
            [RpcType.StageUnstageVolume, RpcType.GetVolumeStats, RpcType.ExpandVolume, RpcType.VolumeCondition, RpcType.SingleNodeMultiWriter, RpcType.VolumeMountGroup],
            response.Capabilities.Select(c => c.Rpc.Type));
    }

    [Fact]
    public async Task NodeStage_works_without_a_publish_context()
    {
        var volume = _node.CreateVolume("pvc-local");
        var staging = _node.Staging();

        await _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() }, NodeHarness.Call());

        Assert.False(NodeChecks.IsReadOnly(_node.Kernel.MountsAt(staging).Single()));
    }

    [Fact]
    public async Task A_read_only_attachment_in_the_publish_context_stages_read_only()
    {
        var volume = _node.CreateVolume("pvc-ro");
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature("ext4", null));
        var staging = _node.Staging();
        var request = new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() };
        request.PublishContext.Add("loam.csi.dev/readonly", "true");

        await _node.Node.NodeStageVolume(request, NodeHarness.Call());

        Assert.True(NodeChecks.IsReadOnly(_node.Kernel.MountsAt(staging).Single()));
        Assert.True(_node.Kernel.List().Single().ReadOnly);
    }

    [Fact]
    public async Task A_call_on_a_volume_that_another_operation_holds_is_aborted()
    {
        var volume = _node.CreateVolume("pvc-busy");
        using var held = _node.Get<OperationLocks>().Acquire(volume.Id.Value, "ControllerPublishVolume");

        var e = await Assert.ThrowsAsync<StorageException>(() => _node.Node.NodeStageVolume(
            new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = _node.Staging(), VolumeCapability = Mount() }, NodeHarness.Call()));

        Assert.Equal(StorageError.Aborted, e.Error);
    }

    [Fact]
    public async Task An_ephemeral_volume_gets_a_loam_id_and_no_path_is_built_from_the_COs_id()
    {
        var coId = "csi-../../../etc/passwd";
        var target = _node.Target();
        var request = new NodePublishVolumeRequest { VolumeId = coId, TargetPath = target, VolumeCapability = Mount() };
        request.VolumeContext.Add("csi.storage.k8s.io/ephemeral", "true");
        request.VolumeContext.Add("size", "32Mi");

        await _node.Node.NodePublishVolume(request, NodeHarness.Call());

        var device = _node.Kernel.List().Single();
        Assert.Matches("/volumes/vol-[0-9a-f]{32}\\.img$", device.BackingFile);
        Assert.Equal(VolumeLocator.EphemeralId(coId).Value + ".img", Path.GetFileName(device.BackingFile));
        Assert.Single(_node.Kernel.MountsAt(target));

        var stats = await _node.Node.NodeGetVolumeStats(new NodeGetVolumeStatsRequest { VolumeId = coId, VolumePath = target }, NodeHarness.Call());
        Assert.False(stats.VolumeCondition.Abnormal);

        await _node.Node.NodeUnpublishVolume(new NodeUnpublishVolumeRequest { VolumeId = coId, TargetPath = target }, NodeHarness.Call());
        Assert.Empty(_node.Kernel.List());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_node.PoolPath, "volumes")));
    }

    [Fact]
    public async Task Stats_report_usage_and_turn_abnormal_when_the_filesystem_went_read_only_after_errors()
    {
        var volume = _node.CreateVolume("pvc-stats");
        var staging = _node.Staging();
        await _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() }, NodeHarness.Call());
        var request = new NodeGetVolumeStatsRequest { VolumeId = volume.Id.Value, VolumePath = staging };

        var healthy = await _node.Node.NodeGetVolumeStats(request, NodeHarness.Call());
        _node.Kernel.SetSuperOptions(staging, "rw", "errors=remount-ro", "emergency_ro");
        var broken = await _node.Node.NodeGetVolumeStats(request, NodeHarness.Call());

        Assert.Equal([VolumeUsage.Types.Unit.Bytes, VolumeUsage.Types.Unit.Inodes], healthy.Usage.Select(u => u.Unit));
        Assert.Equal(1L << 30, healthy.Usage[0].Total);
        Assert.False(healthy.VolumeCondition.Abnormal);
        Assert.True(broken.VolumeCondition.Abnormal);
    }

    [Theory]
    [InlineData("vol-00000000000000000000000000000000", "/co/x")]
    [InlineData("csi-unknown", "some/path")]
    public async Task Stats_and_expand_of_an_unknown_volume_are_not_found_whatever_the_path(string volumeId, string path)
    {
        var stats = await Assert.ThrowsAsync<StorageException>(() => _node.Node.NodeGetVolumeStats(new NodeGetVolumeStatsRequest { VolumeId = volumeId, VolumePath = path }, NodeHarness.Call()));
        var expand = await Assert.ThrowsAsync<StorageException>(() => _node.Node.NodeExpandVolume(new NodeExpandVolumeRequest { VolumeId = volumeId, VolumePath = path }, NodeHarness.Call()));

        Assert.Equal(StorageError.NotFound, stats.Error);
        Assert.Equal(StorageError.NotFound, expand.Error);
    }

    [Fact]
    public async Task Expand_refreshes_the_device_to_the_grown_image_and_grows_the_filesystem()
    {
        var volume = _node.CreateVolume("pvc-grow", size: 64L << 20);
        var staging = _node.Staging();
        await _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() }, NodeHarness.Call());
        _node.Provisioner.Expand(volume, new Loam.Storage.Volumes.CapacityRange(128L << 20, 0));

        var response = await _node.Node.NodeExpandVolume(new NodeExpandVolumeRequest { VolumeId = volume.Id.Value, VolumePath = staging, CapacityRange = new() { RequiredBytes = 128L << 20 } }, NodeHarness.Call());

        Assert.Equal(128L << 20, response.CapacityBytes);
        Assert.Equal(("/dev/loop0", staging, "ext4"), Assert.Single(_node.Kernel.Grown));
    }

    [Fact]
    public async Task Expand_without_the_controller_grows_the_image_and_its_record_then_the_device_and_filesystem()
    {
        var volume = _node.CreateVolume("pvc-nodegrow", size: 64L << 20);
        var staging = _node.Staging();
        await _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() }, NodeHarness.Call());

        var response = await _node.Node.NodeExpandVolume(new NodeExpandVolumeRequest { VolumeId = volume.Id.Value, VolumePath = staging, CapacityRange = new() { RequiredBytes = 100L << 20 } }, NodeHarness.Call());

        Assert.Equal(100L << 20, response.CapacityBytes);
        Assert.Equal(100L << 20, new FileInfo(volume.ImagePath).Length);
        Assert.Equal(100L << 20, _node.Get<VolumeStore>().Get(volume.Id.Value).Record.CapacityBytes);
        Assert.Equal(100L << 20, _node.Kernel.List().Single().SizeBytes);
        Assert.Equal(("/dev/loop0", staging, "ext4"), Assert.Single(_node.Kernel.Grown));
    }

    [Theory]
    [InlineData(200L << 20, 150L << 20, StorageError.OutOfRange)]
    [InlineData(1L << 50, 0, StorageError.ResourceExhausted)]
    public async Task Expand_refuses_what_ControllerExpandVolume_refuses_and_grows_nothing(long required, long limit, StorageError error)
    {
        var volume = _node.CreateVolume("pvc-refused", size: 64L << 20);
        var staging = _node.Staging();
        await _node.Node.NodeStageVolume(new NodeStageVolumeRequest { VolumeId = volume.Id.Value, StagingTargetPath = staging, VolumeCapability = Mount() }, NodeHarness.Call());
        var request = new NodeExpandVolumeRequest { VolumeId = volume.Id.Value, VolumePath = staging, CapacityRange = new() { RequiredBytes = required, LimitBytes = limit } };

        var e = await Assert.ThrowsAsync<StorageException>(() => _node.Node.NodeExpandVolume(request, NodeHarness.Call()));

        Assert.Equal(error, e.Error);
        Assert.Equal(64L << 20, new FileInfo(volume.ImagePath).Length);
        Assert.Equal(64L << 20, _node.Get<VolumeStore>().Get(volume.Id.Value).Record.CapacityBytes);
        Assert.Empty(_node.Kernel.Grown);
    }

    public void Dispose() => _node.Dispose();
}
