using Loam.Node;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Node;

/// <summary>The node's one rollback rule, and the stage and ephemeral publish that both follow it.</summary>
public sealed class RollbackTests : IDisposable
{
    private readonly NodeHarness _node = new();

    private static VolumeCapabilitySpec Mount() => new(AccessType.Mount, AccessMode.SingleNodeWriter);

    [Fact]
    public void Steps_are_undone_newest_first_and_the_original_failure_is_what_the_caller_sees()
    {
        var undone = new List<string>();

        var e = Assert.Throws<InvalidOperationException>(() => Rollback.Run(NullLogger.Instance, "test", "vol", r =>
        {
            r.OnFailure("first", () => undone.Add("first"));
            r.OnFailure("second", () => throw new IOException("undo broke"));
            r.OnFailure("third", () => undone.Add("third"));
            throw new InvalidOperationException("step broke");
        }));

        Assert.Equal("step broke", e.Message);
        Assert.Equal(["third", "first"], undone);
    }

    [Fact]
    public void Nothing_is_undone_when_every_step_succeeds()
    {
        var undone = false;

        Rollback.Run(NullLogger.Instance, "test", "vol", rollback => rollback.OnFailure("step", () => undone = true));

        Assert.False(undone);
    }

    [Fact]
    public async Task A_stage_whose_mount_fails_with_any_exception_detaches_the_device_it_attached()
    {
        var volume = _node.CreateVolume("pvc-any");
        _node.Kernel.NextMountFailure = new UnauthorizedAccessException("mount: EPERM");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _node.Get<VolumeStager>().StageAsync(
            new StageRequest(volume.Id.Value, _node.Staging(), Mount(), ReadOnly: false), default));

        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task An_ephemeral_publish_whose_mount_fails_with_any_exception_leaves_no_device_and_no_volume()
    {
        var target = _node.Target();
        var request = new PublishRequest("csi-eph", null, target, Mount(), ReadOnly: false,
            new Dictionary<string, string> { ["csi.storage.k8s.io/ephemeral"] = "true", ["size"] = "32Mi" });
        _node.Kernel.NextMountFailure = new UnauthorizedAccessException("mount: EPERM");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => _node.Get<EphemeralVolumes>().PublishAsync(request, default));

        Assert.Empty(_node.Kernel.List());
        Assert.Empty(_node.Kernel.MountsAt(target));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_node.PoolPath, "volumes")));
    }

    public void Dispose() => _node.Dispose();
}
