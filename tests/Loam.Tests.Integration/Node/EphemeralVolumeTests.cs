using Csi.V1;

namespace Loam.Tests.Integration.Node;

/// <summary>Inline ephemeral volumes: created, formatted and mounted by NodePublish, removed whole by NodeUnpublish.</summary>
public sealed class EphemeralVolumeTests
{
    [RootTheory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public async Task An_inline_volume_lives_from_publish_to_unpublish(string fsType)
    {
        await using var bed = await Testbed.StartAsync("ext4", "ephemeral");
        var target = bed.TargetPath("inline");
        var coVolumeId = "csi-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var request = new NodePublishVolumeRequest { VolumeId = coVolumeId, TargetPath = target, VolumeCapability = Testbed.Mount(fsType) };
        request.VolumeContext.Add("csi.storage.k8s.io/ephemeral", "true");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.name", "web-0");
        request.VolumeContext.Add("size", "320Mi");

        await bed.Csi.Node.NodePublishVolumeAsync(request);
        await bed.Csi.Node.NodePublishVolumeAsync(request);
        await File.WriteAllTextAsync(Path.Combine(target, "scratch.txt"), "ephemeral");

        Assert.Single(bed.VolumeLoopDevices());
        Assert.Single(bed.MountsBelowMountRoot(), m => m == target);
        Assert.Equal(fsType, new Loam.Storage.Os.ProcMountTable().Read().Last(m => m.MountPoint == target).FsType);
        var stats = await bed.Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = coVolumeId, VolumePath = target });
        Assert.InRange(stats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes).Total, 250L << 20, 320L << 20);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(bed.PoolPath, "volumes")), f => f.Contains(coVolumeId, StringComparison.Ordinal));

        await bed.UnpublishAsync(coVolumeId, target);
        await bed.UnpublishAsync(coVolumeId, target);

        Assert.False(Path.Exists(target));
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.PoolPath, "volumes")));
    }

    [RootFact]
    public async Task An_unknown_attribute_is_refused_before_anything_is_made()
    {
        await using var bed = await Testbed.StartAsync("ext4", "ephbad");
        var target = bed.TargetPath("inline");
        var request = new NodePublishVolumeRequest { VolumeId = "csi-0123", TargetPath = target, VolumeCapability = Testbed.Mount() };
        request.VolumeContext.Add("csi.storage.k8s.io/ephemeral", "true");
        request.VolumeContext.Add("sise", "1Gi");

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await bed.Csi.Node.NodePublishVolumeAsync(request));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.PoolPath, "volumes")));
        Assert.False(Path.Exists(target));
    }
}
