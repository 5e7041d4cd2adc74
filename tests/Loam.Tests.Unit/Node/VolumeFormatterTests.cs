using Loam.Node;
using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Records;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// When Loam formats: a blank device, or an incomplete filesystem that its own mkfs left on a
/// volume whose record says no mkfs ever finished there. Nothing else is ever touched, and mkfs
/// is never cut short by the call's deadline.
/// </summary>
public sealed class VolumeFormatterTests : IDisposable
{
    private readonly NodeHarness _node = new();
    private readonly Mock<ICommandRunner> _runner = new(MockBehavior.Strict);

    public void Dispose() => _node.Dispose();

    private VolumeStager Stager => _node.Get<VolumeStager>();
    private VolumeStore Store => _node.Get<VolumeStore>();

    private static VolumeCapabilitySpec Mount(string? fsType = null) => new(AccessType.Mount, AccessMode.SingleNodeWriter, fsType);

    private StoredVolume VolumeRecorded(bool? formatted)
    {
        var volume = _node.CreateVolume("pvc-f");
        var record = volume.Record with { Formatted = formatted };
        Store.Save(volume.Pool, record);
        return volume with { Record = record };
    }

    private Task Stage(StoredVolume volume, string? fsType = null) =>
        Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), Mount(fsType), ReadOnly: false), default);

    private bool? RecordedFormatted(StoredVolume volume) => Store.Find(volume.Id)!.Record.Formatted;

    [Fact]
    public void A_volume_made_blank_is_recorded_as_never_formatted_and_a_clone_as_unknown()
    {
        var blank = _node.CreateVolume("pvc-blank");
        Assert.False(blank.Record.Formatted);
        var json = System.Text.Json.JsonSerializer.Serialize(blank.Record with { Formatted = null }, StorageJson.Default.VolumeRecord);
        // A record from before the field reads as unknown.
        Assert.DoesNotContain("formatted", json, StringComparison.Ordinal);
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize(json, StorageJson.Default.VolumeRecord)!.Formatted);
    }

    [Fact]
    public async Task A_first_stage_records_that_Loams_mkfs_finished()
    {
        var volume = _node.CreateVolume("pvc-a");

        await Stage(volume);

        Assert.Single(_node.Kernel.Formatted);
        Assert.True(RecordedFormatted(volume));
    }

    [Theory]
    [InlineData(FileSystemTypes.Ext4)]
    [InlineData(FileSystemTypes.Xfs)]
    public async Task An_incomplete_filesystem_of_its_own_mkfs_on_a_never_formatted_volume_is_made_anew(string fsType)
    {
        var volume = VolumeRecorded(formatted: false);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(fsType, null));
        _node.Kernel.SetCheck(volume.ImagePath, FileSystemCheck.Incomplete);

        await Stage(volume, fsType);

        Assert.Single(_node.Kernel.Replaced);
        Assert.True(RecordedFormatted(volume));
        Assert.Equal(fsType, Assert.Single(_node.Kernel.Read()).FsType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(null)]
    public async Task An_incomplete_filesystem_is_never_touched_unless_the_record_says_no_mkfs_finished(bool? formatted)
    {
        var volume = VolumeRecorded(formatted);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(FileSystemTypes.Ext4, null));
        _node.Kernel.SetCheck(volume.ImagePath, FileSystemCheck.Incomplete);

        await Stage(volume);

        Assert.Empty(_node.Kernel.Formatted);
        Assert.Equal(formatted, RecordedFormatted(volume));
    }

    [Fact]
    public async Task Another_filesystem_than_Loam_would_make_is_never_touched_on_a_never_formatted_volume()
    {
        var volume = VolumeRecorded(formatted: false);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(FileSystemTypes.Xfs, null));
        _node.Kernel.SetCheck(volume.ImagePath, FileSystemCheck.Incomplete);

        await Stage(volume);

        Assert.Empty(_node.Kernel.Formatted);
        Assert.Equal(FileSystemTypes.Xfs, Assert.Single(_node.Kernel.Read()).FsType);
    }

    [Fact]
    public async Task Several_signatures_on_a_never_formatted_volume_are_never_formatted_over()
    {
        var volume = VolumeRecorded(formatted: false);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(null, "several signatures (blkid: ambivalent result)"));

        var e = await Assert.ThrowsAsync<StorageException>(() => Stage(volume));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Empty(_node.Kernel.Formatted);
    }

    [Fact]
    public async Task A_whole_filesystem_on_a_never_formatted_volume_is_the_one_made_just_before_a_crash_and_is_kept()
    {
        var volume = VolumeRecorded(formatted: false);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(FileSystemTypes.Ext4, null));

        await Stage(volume);

        Assert.Empty(_node.Kernel.Formatted);
        Assert.True(RecordedFormatted(volume));
    }

    [Fact]
    public async Task When_the_check_cannot_say_the_device_is_left_alone_with_a_failed_precondition()
    {
        var volume = VolumeRecorded(formatted: false);
        _node.Kernel.SetSignature(volume.ImagePath, new DeviceSignature(FileSystemTypes.Ext4, null));
        _node.Kernel.SetCheck(volume.ImagePath, FileSystemCheck.Unknown);

        var e = await Assert.ThrowsAsync<StorageException>(() => Stage(volume));

        Assert.Equal(StorageError.FailedPrecondition, e.Error);
        Assert.Empty(_node.Kernel.Formatted);
        Assert.Empty(_node.Kernel.List());
    }

    [Fact]
    public async Task A_volume_handed_out_as_a_raw_block_device_is_never_again_called_never_formatted()
    {
        var volume = _node.CreateVolume("pvc-raw", type: AccessType.Block);
        var block = new VolumeCapabilitySpec(AccessType.Block, AccessMode.SingleNodeWriter);

        await Stager.StageAsync(new StageRequest(volume.Id.Value, _node.Staging(), block, false), default);

        Assert.Null(RecordedFormatted(volume));
    }

    // The real tools over a mocked command runner: what mkfs is asked to do, and with what token.

    private VolumeFormatter RealToolsFormatter() =>
        new(_node.Kernel, _node.Get<IImageFiles>(), new FileSystemTools(_runner.Object), Store, NullLogger<VolumeFormatter>.Instance);

    private void Blkid(int exit, string output) =>
        _runner.Setup(r => r.RunAsync("blkid", It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(exit, output, ""));

    private (NodeVolume Volume, LoopDevice Device) Attached(StoredVolume volume) =>
        (_node.Get<VolumeLocator>().Get(volume.Id.Value), _node.Kernel.Attach(volume.ImagePath, readOnly: false, directIo: false));

    [Fact]
    public async Task A_deadline_that_cancels_the_stage_during_mkfs_does_not_kill_it()
    {
        var (volume, device) = Attached(_node.CreateVolume("pvc-slow"));
        using var call = new CancellationTokenSource();
        CancellationToken mkfsToken = default;
        Blkid(2, "");
        _runner.Setup(r => r.RunAsync("mkfs.ext4", It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyList<string> _, TimeSpan _, CancellationToken token) =>
            {
                // The orchestrator's deadline passes while mkfs runs.
                call.Cancel();
                mkfsToken = token;
                return Task.FromResult(new CommandResult(0, "", ""));
            });

        await RealToolsFormatter().EnsureFileSystemAsync(volume, device, FileSystemTypes.Ext4, insist: false, readOnly: false, call.Token);

        Assert.True(call.IsCancellationRequested);
        Assert.False(mkfsToken.CanBeCanceled);
        Assert.True(RecordedFormatted(volume.Volume));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Mkfs_is_never_run_on_a_device_that_carries_a_whole_filesystem(bool? formatted)
    {
        var (volume, device) = Attached(VolumeRecorded(formatted));
        Blkid(0, "TYPE=ext4\nUSAGE=filesystem\n");
        _runner.Setup(r => r.RunAsync("e2fsck", It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, "clean", ""));

        var found = await RealToolsFormatter().EnsureFileSystemAsync(volume, device, FileSystemTypes.Ext4, false, false, default);

        Assert.Equal(FileSystemTypes.Ext4, found);
        _runner.Verify(r => r.RunAsync(It.Is<string>(f => f.StartsWith("mkfs", StringComparison.Ordinal)),
            It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task An_incomplete_ext4_of_its_own_is_made_anew_with_one_force_and_only_once()
    {
        var (volume, device) = Attached(VolumeRecorded(formatted: false));
        Blkid(0, "TYPE=ext4\nUSAGE=filesystem\n");
        _runner.Setup(r => r.RunAsync("e2fsck", It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(4, "", "Superblock has an invalid journal"));
        _runner.Setup(r => r.RunAsync("mkfs.ext4", It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, "", ""));

        await RealToolsFormatter().EnsureFileSystemAsync(volume, device, FileSystemTypes.Ext4, false, false, default);

        _runner.Verify(r => r.RunAsync("mkfs.ext4", It.Is<IReadOnlyList<string>>(a => a.Count(x => x == "-F") == 1 && a.Last() == device.DevicePath),
            It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.True(RecordedFormatted(volume.Volume));
    }
}
