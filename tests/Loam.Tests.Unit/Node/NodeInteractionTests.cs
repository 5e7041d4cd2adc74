using Loam.Node;
using Loam.Storage.Os;
using Loam.Storage.Volumes;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// Contracts that are interactions with the kernel seams, checked with mocks: the order of calls
/// and the calls that must never happen. The state itself stays with <see cref="FakeKernel"/>, to
/// which the mocks delegate.
/// </summary>
public sealed class NodeInteractionTests
{
    private static VolumeCapabilitySpec Mount(string? fsType = null) =>
        new(AccessType.Mount, AccessMode.SingleNodeWriter, fsType);

    [Fact]
    public async Task Unstage_unmounts_the_staging_path_before_it_detaches_the_device()
    {
        var calls = new List<string>();
        var mounter = new Mock<IMounter>(MockBehavior.Strict);
        var loops = new Mock<ILoopDevices>(MockBehavior.Strict);
        using var node = new NodeHarness(replace: s => s.AddSingleton(mounter.Object).AddSingleton(loops.Object));
        var kernel = node.Kernel;
        mounter.Setup(m => m.Mount(
                It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<KernelMountFlags>(), It.IsAny<string>()))
            .Callback<string, string, string, KernelMountFlags, string>(kernel.Mount);
        mounter.Setup(m => m.Unmount(It.IsAny<string>()))
            .Returns((string target) => { calls.Add($"unmount {target}"); return kernel.Unmount(target); });
        loops.Setup(l => l.List()).Returns(kernel.List);
        loops.Setup(l => l.Attach(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<bool>()))
            .Returns<string, bool, bool>(kernel.Attach);
        loops.Setup(l => l.Detach(It.IsAny<string>()))
            .Callback((string device) => { calls.Add($"detach {device}"); kernel.Detach(device); });
        var volume = node.CreateVolume("pvc-order");
        var staging = node.Staging();
        await node.Get<VolumeStager>().StageAsync(
            new StageRequest(volume.Id.Value, staging, Mount(), ReadOnly: false), default);
        var device = Assert.Single(kernel.List()).DevicePath;

        node.Get<VolumeStager>().Unstage(volume.Id.Value, staging);

        Assert.Equal([$"unmount {staging}", $"detach {device}"], calls);
        Assert.Empty(kernel.List());
    }

    [Theory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    public async Task Mkfs_is_never_asked_for_on_a_device_that_already_carries_a_filesystem(string fsType)
    {
        var tools = new Mock<IFileSystemTools>(MockBehavior.Strict);
        using var node = new NodeHarness(replace: s => s.AddSingleton(tools.Object));
        tools.Setup(t => t.ProbeAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DeviceSignature(fsType, null));
        // Loam's own mkfs finished there before a crash: its check says whole.
        tools.Setup(t => t.CheckAsync(It.IsAny<string>(), fsType, It.IsAny<CancellationToken>()))
            .ReturnsAsync(FileSystemCheck.Whole);
        tools.Setup(t => t.UnmountedSizeAsync(It.IsAny<string>(), fsType, It.IsAny<CancellationToken>()))
            .ReturnsAsync((long?)null);
        tools.Setup(t => t.GrowAsync(It.IsAny<string>(), It.IsAny<string>(), fsType, It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var volume = node.CreateVolume("pvc-has-fs", size: 512L << 20, fsType: fsType);
        var staging = node.Staging();

        await node.Get<VolumeStager>().StageAsync(
            new StageRequest(volume.Id.Value, staging, Mount(fsType), ReadOnly: false), default);

        tools.Verify(t => t.MakeAsync(It.IsAny<string>(), It.IsAny<string>()), Times.Never);
        tools.Verify(t => t.ReplaceIncompleteAsync(It.IsAny<string>(), It.IsAny<string>()), Times.Never);
        Assert.Equal(fsType, Assert.Single(node.Kernel.MountsAt(staging)).FsType);
    }
}
