using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.Logging;

/// <summary>Every call is logged with its code and duration; no secret ever reaches the log.</summary>
public sealed class CallLoggingTests : IAsyncLifetime
{
    private const string Secret = "p4ssw0rd-that-must-never-be-logged";
    private readonly TestRoot _root = new("logging");
    private DriverProcess _driver = null!;

    public async Task InitializeAsync() =>
        _driver = await DriverProcess.StartAsync(_root.Combine("csi.sock"),
            ["--node-id", "n1", "--pool", $"default={_root.Folder("pool")}", "--log-level", "debug"]);

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Calls_carrying_secrets_are_logged_with_the_secrets_masked()
    {
        var create = new CreateVolumeRequest { Name = "pvc-secret" };
        create.VolumeCapabilities.Add(new VolumeCapability { AccessMode = new() { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter }, Mount = new() });
        create.Secrets.Add("password", Secret);
        var volume = (await _driver.Csi.Controller.CreateVolumeAsync(create)).Volume;
        var publish = new ControllerPublishVolumeRequest { VolumeId = volume.VolumeId, NodeId = "nowhere", VolumeCapability = create.VolumeCapabilities[0] };
        publish.Secrets.Add("token", Secret);
        await Assert.ThrowsAsync<RpcException>(async () => await _driver.Csi.Controller.ControllerPublishVolumeAsync(publish));
        var delete = new DeleteVolumeRequest { VolumeId = volume.VolumeId };
        delete.Secrets.Add("password", Secret);
        await _driver.Csi.Controller.DeleteVolumeAsync(delete);
        await _driver.StopAsync();

        var log = _driver.Output;
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
        Assert.Contains("***stripped***", log, StringComparison.Ordinal);
        Assert.Matches(@"/csi\.v1\.Controller/CreateVolume OK in \d+\.\d ms", log);
        Assert.Matches(@"/csi\.v1\.Controller/ControllerPublishVolume NotFound in \d+\.\d ms: node nowhere", log);
        Assert.Matches(@"/csi\.v1\.Controller/DeleteVolume OK in \d+\.\d ms", log);
    }
}
