using Csi.V1;
using Grpc.Core;
using Loam.Client;

namespace Loam.Tests.Conformance;

/// <summary>
/// Base of every sanity spec: unique names, request builders, and the clean-up csi-sanity
/// does after each spec (unpublish, unstage, detach, delete whatever the spec made, also when
/// it failed).
/// </summary>
[Collection(SanityCollection.Name)]
public abstract class SanityTest(SanityDriver driver) : IAsyncLifetime
{
    public const long TestVolumeSize = 1L << 30;

    private readonly List<string> _volumes = [];
    private readonly List<string> _snapshots = [];
    private readonly List<(string VolumeId, string NodeId)> _controllerPublished = [];
    private readonly List<(string VolumeId, string Path)> _nodePublished = [];
    private readonly List<(string VolumeId, string Path)> _nodeStaged = [];

    protected SanityDriver Driver => driver;
    protected CsiConnection Csi => driver.Csi;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var (volumeId, path) in _nodePublished)
            await Quietly(() => Csi.Node.NodeUnpublishVolumeAsync(new() { VolumeId = volumeId, TargetPath = path }).ResponseAsync);
        foreach (var (volumeId, path) in _nodeStaged)
            await Quietly(() => Csi.Node.NodeUnstageVolumeAsync(new() { VolumeId = volumeId, StagingTargetPath = path }).ResponseAsync);
        foreach (var (volumeId, nodeId) in _controllerPublished)
            await Quietly(() => Csi.Controller.ControllerUnpublishVolumeAsync(new() { VolumeId = volumeId, NodeId = nodeId }).ResponseAsync);
        foreach (var id in _snapshots)
            await Quietly(() => Csi.Controller.DeleteSnapshotAsync(new() { SnapshotId = id }).ResponseAsync);
        foreach (var id in _volumes)
            await Quietly(() => Csi.Controller.DeleteVolumeAsync(new() { VolumeId = id }).ResponseAsync);
    }

    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A name of exactly <paramref name="length"/> characters, as sanity's maximum-length specs use.</summary>
    protected static string UniqueName(string prefix, int length) => (UniqueName(prefix) + new string('x', length))[..length];

    protected static VolumeCapability MountCapability(VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, string fsType = "") =>
        new() { AccessMode = new() { Mode = mode }, Mount = new() { FsType = fsType } };

    protected static VolumeCapability BlockCapability(VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter) =>
        new() { AccessMode = new() { Mode = mode }, Block = new() };

    protected static CreateVolumeRequest CreateVolumeRequest(string name, long size = TestVolumeSize, VolumeCapability? capability = null)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = size, LimitBytes = size } };
        request.VolumeCapabilities.Add(capability ?? MountCapability());
        return request;
    }

    protected async Task<Volume> MustCreateVolume(CreateVolumeRequest request)
    {
        var response = await Csi.Controller.CreateVolumeAsync(request);
        Assert.NotNull(response.Volume);
        Assert.NotEmpty(response.Volume.VolumeId);
        Track(response.Volume.VolumeId);
        return response.Volume;
    }

    protected void Track(string volumeId)
    {
        if (!_volumes.Contains(volumeId))
            _volumes.Add(volumeId);
    }

    protected void TrackSnapshot(string snapshotId)
    {
        if (!_snapshots.Contains(snapshotId))
            _snapshots.Add(snapshotId);
    }

    protected void TrackControllerPublish(string volumeId, string nodeId) => _controllerPublished.Add((volumeId, nodeId));

    protected void TrackNodeStage(string volumeId, string path) => _nodeStaged.Add((volumeId, path));

    protected void TrackNodePublish(string volumeId, string path) => _nodePublished.Add((volumeId, path));

    /// <summary>Asserts the call fails with exactly <paramref name="code"/> and returns the message.</summary>
    protected static async Task<string> AssertFails<T>(StatusCode code, Func<AsyncUnaryCall<T>> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call());
        Assert.True(e.StatusCode == code, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail), "an error must say what was wrong");
        return e.Status.Detail;
    }

    private static async Task Quietly(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException)
        {
            // Clean-up of something the spec already removed, or never made.
        }
    }
}
