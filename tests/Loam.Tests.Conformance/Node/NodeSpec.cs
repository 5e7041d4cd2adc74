using Csi.V1;
using Grpc.Core;
using Mode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Tests.Conformance.Node;

/// <summary>
/// Base of the csi-sanity "Node Service" specs. Like csi-sanity it makes a fresh target
/// parent and staging directory per spec (mkdir, not mkdir -p), builds capabilities of the
/// configured access type (mount or block), and after each spec runs its Resources.Cleanup:
/// for every registered volume, newest first, NodeUnpublish of TARGET/target and NodeUnstage
/// must give OK or NOT_FOUND, ControllerUnpublish and DeleteVolume must succeed. Then the two
/// directories are removed with rmdir, which fails if the driver left anything in them.
/// </summary>
public abstract class NodeSpec(SanityDriver driver) : SanityTest(driver)
{
    public const long ExpandIncrement = 1L << 30;

    private readonly List<(string VolumeId, string? NodeId)> _registered = [];

    /// <summary>The parent of the target path; the target is <c>TargetPath/target</c>.</summary>
    protected string TargetPath { get; private set; } = "";
    protected string StagingPath { get; private set; } = "";
    protected string Target => TargetPath + "/target";

    public override Task InitializeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        TargetPath = Path.Combine(Driver.MountRoot, "csi-mount-" + suffix);
        StagingPath = Path.Combine(Driver.MountRoot, "csi-staging-" + suffix);
        Directory.CreateDirectory(TargetPath);
        Directory.CreateDirectory(StagingPath);
        return base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            for (var i = _registered.Count - 1; i >= 0; i--)
            {
                var (volumeId, nodeId) = _registered[i];
                await ExpectOkOrNotFound(() => Csi.Node.NodeUnpublishVolumeAsync(new() { VolumeId = volumeId, TargetPath = Target }), "NodeUnpublishVolume");
                await ExpectOkOrNotFound(() => Csi.Node.NodeUnstageVolumeAsync(new() { VolumeId = volumeId, StagingTargetPath = StagingPath }), "NodeUnstageVolume");
                if (nodeId is not null)
                    await Csi.Controller.ControllerUnpublishVolumeAsync(new() { VolumeId = volumeId, NodeId = nodeId });
                await Csi.Controller.DeleteVolumeAsync(new() { VolumeId = volumeId });
            }
            Directory.Delete(TargetPath);
            Directory.Delete(StagingPath);
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>sanity's TestVolumeCapabilityWithAccessType: a mount (no fs type) or a block capability.</summary>
    protected static VolumeCapability Capability(string accessType, Mode mode = Mode.SingleNodeWriter) =>
        accessType == "block" ? BlockCapability(mode) : MountCapability(mode);

    /// <summary>A volume ID shaped like one Loam issues, naming no volume (sanity's IDGen).</summary>
    protected static string UnknownVolumeId() => "vol-" + Guid.NewGuid().ToString("N");

    protected async Task<Volume> CreateVolume(string name, string accessType, TopologyRequirement? requirement = null)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = TestVolumeSize }, AccessibilityRequirements = requirement };
        request.VolumeCapabilities.Add(Capability(accessType));
        var volume = await MustCreateVolume(request);
        _registered.Add((volume.VolumeId, null));
        return volume;
    }

    protected async Task<ControllerPublishVolumeResponse> ControllerPublish(Volume volume, string nodeId, string accessType)
    {
        var request = new ControllerPublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = nodeId, VolumeCapability = Capability(accessType), Readonly = false };
        request.VolumeContext.Add(volume.VolumeContext);
        var response = await Csi.Controller.ControllerPublishVolumeAsync(request);
        _registered.Add((volume.VolumeId, nodeId));
        return response;
    }

    protected async Task NodeStage(Volume volume, ControllerPublishVolumeResponse? published, string accessType)
    {
        var request = new NodeStageVolumeRequest { VolumeId = volume.VolumeId, VolumeCapability = Capability(accessType), StagingTargetPath = StagingPath };
        request.VolumeContext.Add(volume.VolumeContext);
        if (published is not null)
            request.PublishContext.Add(published.PublishContext);
        Assert.NotNull(await Csi.Node.NodeStageVolumeAsync(request));
    }

    protected async Task NodePublish(Volume volume, ControllerPublishVolumeResponse? published, string accessType)
    {
        var request = new NodePublishVolumeRequest
        {
            VolumeId = volume.VolumeId, TargetPath = Target, StagingTargetPath = StagingPath, VolumeCapability = Capability(accessType),
        };
        request.VolumeContext.Add(volume.VolumeContext);
        if (published is not null)
            request.PublishContext.Add(published.PublishContext);
        Assert.NotNull(await Csi.Node.NodePublishVolumeAsync(request));
    }

    protected async Task<string> NodeId()
    {
        var info = await Csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        Assert.NotEmpty(info.NodeId);
        return info.NodeId;
    }

    protected async Task<bool> ControllerPublishSupported()
    {
        var capabilities = await Csi.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest());
        return capabilities.Capabilities.Any(c => c.Rpc?.Type == ControllerServiceCapability.Types.RPC.Types.Type.PublishUnpublishVolume);
    }

    private static async Task ExpectOkOrNotFound<T>(Func<AsyncUnaryCall<T>> call, string what)
    {
        try
        {
            await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // csi-sanity accepts NOT_FOUND in clean-up.
        }
        catch (RpcException e)
        {
            Assert.Fail($"{what} failed in clean-up: {e.StatusCode} {e.Status.Detail}");
        }
    }
}
