using Csi.V1;
using Grpc.Core;
using Loam.Csi;
using Loam.Tests.Unit.Fakes;
using Loam.Tests.Unit.Node;
using Microsoft.Extensions.Logging;

namespace Loam.Tests.Unit.Csi;

/// <summary>
/// Secrets never reach a log: every logger of the node, storage and the call interceptor sees
/// the calls (at every level, request logging included) and no line holds a secret's value.
/// </summary>
public sealed class SecretLoggingTests
{
    private const string Secret = "hunter2-never-logged";

    private static VolumeCapability Mount() => new()
    {
        Mount = new VolumeCapability.Types.MountVolume(),
        AccessMode = new VolumeCapability.Types.AccessMode
        {
            Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter,
        },
    };

    [Fact]
    public async Task No_log_line_holds_a_secret_of_a_stage_that_succeeds_or_of_one_that_fails()
    {
        var loggers = new CapturingLoggers();
        using var node = new NodeHarness(loggers: loggers);
        var interceptor = new CsiCallInterceptor(loggers.For<CsiCallInterceptor>(), new NullCallObserver());
        var volume = node.CreateVolume("pvc-secret");
        var stage = new NodeStageVolumeRequest
        {
            VolumeId = volume.Id.Value, StagingTargetPath = node.Staging(), VolumeCapability = Mount(),
        };
        stage.Secrets.Add("password", Secret);
        var missing = stage.Clone();
        missing.VolumeId = "vol-" + new string('0', 32);
        missing.StagingTargetPath = node.Staging("other");

        await interceptor.UnaryServerHandler(
            stage, new TestCallContext("/csi.v1.Node/NodeStageVolume"), node.Node.NodeStageVolume);
        await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler(
            missing, new TestCallContext("/csi.v1.Node/NodeStageVolume"), node.Node.NodeStageVolume));

        Assert.Contains(loggers.Lines, l => l.Level == LogLevel.Debug && l.Mentions("password"));
        Assert.Contains(loggers.Lines, l => l.Category.StartsWith("Loam.Node", StringComparison.Ordinal));
        Assert.DoesNotContain(loggers.Lines, l => l.Mentions(Secret));
    }

    [Fact]
    public async Task No_log_line_holds_a_secret_of_a_create_and_a_delete()
    {
        var loggers = new CapturingLoggers();
        using var node = new NodeHarness(loggers: loggers);
        var interceptor = new CsiCallInterceptor(loggers.For<CsiCallInterceptor>(), new NullCallObserver());
        var create = new CreateVolumeRequest { Name = "pvc-secret-create", VolumeCapabilities = { Mount() } };
        create.Secrets.Add("token", Secret);

        var created = await interceptor.UnaryServerHandler(
            create, new TestCallContext("/csi.v1.Controller/CreateVolume"), node.Controller.CreateVolume);
        var delete = new DeleteVolumeRequest { VolumeId = created.Volume.VolumeId };
        delete.Secrets.Add("token", Secret);
        await interceptor.UnaryServerHandler(
            delete, new TestCallContext("/csi.v1.Controller/DeleteVolume"), node.Controller.DeleteVolume);

        Assert.Contains(loggers.Lines, l => l.Level == LogLevel.Debug && l.Mentions("token"));
        Assert.DoesNotContain(loggers.Lines, l => l.Mentions(Secret));
    }
}
