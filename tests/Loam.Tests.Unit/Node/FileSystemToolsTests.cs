using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Node;

public sealed class FileSystemToolsTests
{
    private sealed class RecordingRunner(CommandResult result) : ICommandRunner
    {
        public List<(string File, IReadOnlyList<string> Arguments)> Calls { get; } = [];

        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            Calls.Add((file, arguments));
            return Task.FromResult(result);
        }
    }

    [Theory]
    [InlineData(2, "", null, null)]
    [InlineData(0, "DEVNAME=/dev/loop3\nUUID=x\nBLOCK_SIZE=4096\nTYPE=ext4\nUSAGE=filesystem\n", "ext4", null)]
    [InlineData(0, "DEVNAME=/dev/loop3\nPTUUID=abc\nPTTYPE=dos\n", null, "a dos partition table")]
    [InlineData(0, "DEVNAME=/dev/loop3\nTYPE=LVM2_member\nUSAGE=raid\n", null, "LVM2_member (raid)")]
    [InlineData(8, "", null, "several signatures (blkid: ambivalent result)")]
    public async Task Probe_tells_a_filesystem_from_other_signatures_and_from_nothing(int exit, string output, string? fsType, string? other)
    {
        var tools = new FileSystemTools(new RecordingRunner(new CommandResult(exit, output, "")));

        var signature = await tools.ProbeAsync("/dev/loop3");

        Assert.Equal(new DeviceSignature(fsType, other), signature);
    }

    [Theory]
    [InlineData(FileSystemTypes.Ext4, "mkfs.ext4")]
    [InlineData(FileSystemTypes.Xfs, "mkfs.xfs")]
    [InlineData(FileSystemTypes.Btrfs, "mkfs.btrfs")]
    public async Task Mkfs_is_never_forced_and_never_discards(string fsType, string tool)
    {
        var runner = new RecordingRunner(new CommandResult(0, "", ""));

        await new FileSystemTools(runner).MakeAsync("/dev/loop7", fsType);

        var (file, arguments) = Assert.Single(runner.Calls);
        Assert.Equal(tool, file);
        Assert.Equal("/dev/loop7", arguments[^1]);
        Assert.DoesNotContain("-f", arguments);
        Assert.DoesNotContain("-F", arguments);
        Assert.True(arguments.Contains("-K") || arguments.Any(a => a.Contains("nodiscard", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/dev/sda")]
    [InlineData("/dev/loop")]
    [InlineData("/dev/loop1p1")]
    [InlineData("/dev/loop1/../sda")]
    public async Task The_tools_refuse_anything_but_a_loop_device(string device)
    {
        var runner = new RecordingRunner(new CommandResult(0, "", ""));
        var tools = new FileSystemTools(runner);

        await Assert.ThrowsAsync<StorageException>(() => tools.MakeAsync(device, FileSystemTypes.Ext4));
        await Assert.ThrowsAsync<StorageException>(() => tools.ProbeAsync(device));
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_failed_grow_carries_the_tools_stderr_and_explains_a_missing_capability()
    {
        var tools = new FileSystemTools(new RecordingRunner(new CommandResult(1, "", "resize2fs: Permission denied to resize filesystem")));

        var e = await Assert.ThrowsAsync<StorageException>(() => tools.GrowAsync("/dev/loop2", "/mnt/x", FileSystemTypes.Ext4));

        Assert.Contains("Permission denied to resize filesystem", e.Message, StringComparison.Ordinal);
        Assert.Contains("CAP_SYS_RESOURCE", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FileSystemTypes.Ext4, "resize2fs", "/dev/loop2")]
    [InlineData(FileSystemTypes.Xfs, "xfs_growfs", "/mnt/x")]
    [InlineData(FileSystemTypes.Btrfs, "btrfs", "/mnt/x")]
    public async Task Grow_uses_each_filesystems_online_tool(string fsType, string tool, string last)
    {
        var runner = new RecordingRunner(new CommandResult(0, "", ""));

        await new FileSystemTools(runner).GrowAsync("/dev/loop2", "/mnt/x", fsType);

        Assert.Equal(tool, runner.Calls.Single().File);
        Assert.Equal(last, runner.Calls.Single().Arguments[^1]);
    }

    [Fact]
    public void The_size_of_an_ext4_filesystem_is_its_block_count_times_its_block_size()
    {
        var output = "dumpe2fs 1.47.0 (5-Feb-2023)\nFilesystem volume name:   <none>\nBlock count:              32768\n"
            + "Reserved block count:     0\nBlock size:               4096\nFragment size:            4096\n";

        Assert.Equal(32768L * 4096, FileSystemTools.ParseExt4Size(output));
        Assert.Null(FileSystemTools.ParseExt4Size("Block size: 4096\n"));
    }

    [Fact]
    public async Task An_offline_grow_checks_the_filesystem_first_and_accepts_corrected_errors()
    {
        var runner = new RecordingRunner(new CommandResult(1, "", "journal replayed"));
        var tools = new FileSystemTools(runner);

        var e = await Assert.ThrowsAsync<StorageException>(() => tools.GrowUnmountedAsync("/dev/loop3", "ext4"));

        // e2fsck's 1 (corrected) is accepted; the same 1 from resize2fs is a failure.
        Assert.Equal([("e2fsck", "-f -p /dev/loop3"), ("resize2fs", "/dev/loop3")], runner.Calls.Select(c => (c.File, string.Join(' ', c.Arguments))));
        Assert.Contains("resize2fs", e.Message, StringComparison.Ordinal);
        Assert.Null(await tools.UnmountedSizeAsync("/dev/loop3", "xfs"));
    }
}
