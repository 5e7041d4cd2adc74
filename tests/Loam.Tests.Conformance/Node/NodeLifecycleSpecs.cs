using Csi.V1;

namespace Loam.Tests.Conformance.Node;

/// <summary>csi-sanity "Node Service should work" and "should be idempotent" (runControllerTest).</summary>
public sealed class NodeLifecycleSpecs(SanityDriver driver) : NodeSpec(driver)
{
    /// <summary>csi-sanity's default --csi.idempotent-count.</summary>
    private const int IdempotentCount = 10;

    [RootTheory]
    [InlineData("mount")]
    [InlineData("block")]
    public async Task Node_service_works(string accessType) => await RunControllerTest(accessType, 1);

    [RootTheory]
    [InlineData("mount")]
    [InlineData("block")]
    public async Task Node_service_is_idempotent(string accessType) => await RunControllerTest(accessType, IdempotentCount);

    private async Task RunControllerTest(string accessType, int count)
    {
        var info = await Csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        Assert.NotEmpty(info.NodeId);
        var requirement = info.AccessibleTopology is null ? null : new TopologyRequirement { Requisite = { info.AccessibleTopology } };
        var volume = await CreateVolume(UniqueName("sanity-node-full-" + count), accessType, requirement);

        ControllerPublishVolumeResponse? published = null;
        if (await ControllerPublishSupported())
            published = await ControllerPublish(volume, info.NodeId, accessType);
        for (var i = 0; i < count; i++)
            await NodeStage(volume, published, accessType);
        for (var i = 0; i < count; i++)
            await NodePublish(volume, published, accessType);

        var stats = await Csi.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = Target });
        Assert.NotEmpty(stats.Usage);
        Assert.False(stats.VolumeCondition.Abnormal, stats.VolumeCondition.Message);
    }
}
