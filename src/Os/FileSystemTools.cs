namespace Loam.Storage.Os;

/// <summary>
/// blkid, mkfs, the checkers and the grow tools. mkfs never discards (a thick image must stay
/// allocated, a thin one is sparse already), always runs to its end, and is forced only over an
/// incomplete filesystem of its own (<see cref="ReplaceIncompleteAsync"/>), so otherwise it refuses
/// a device that holds a signature blkid missed. ext4 gets lazy inode-table and journal init (fast on large
/// volumes) and no blocks reserved for root: the space is the workload's.
/// </summary>
public sealed class FileSystemTools(ICommandRunner runner) : IFileSystemTools
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MakeTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GrowTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(5);

    // blkid exit codes: 0 found, 2 nothing found, 8 ambivalent (several signatures).
    private const int NothingFound = 2;
    private const int Ambivalent = 8;

    public async Task<DeviceSignature> ProbeAsync(string device, CancellationToken cancellationToken = default)
    {
        EnsureLoopDevice(device);
        var result = await runner.RunAsync("blkid", ["-p", "-o", "export", "--", device], ProbeTimeout, cancellationToken);
        switch (result.ExitCode)
        {
            case NothingFound:
                return DeviceSignature.Blank;
            case Ambivalent:
                return new DeviceSignature(null, "several signatures (blkid: ambivalent result)");
            case 0:
                var fields = ParseExport(result.StandardOutput);
                var usage = fields.GetValueOrDefault("USAGE");
                if (fields.TryGetValue("TYPE", out var type) && usage is null or "filesystem")
                    return new DeviceSignature(type, null);
                if (type is not null)
                    return new DeviceSignature(null, $"{type} ({usage})");
                return fields.TryGetValue("PTTYPE", out var table)
                    ? new DeviceSignature(null, $"a {table} partition table")
                    : new DeviceSignature(null, "an unknown signature");
            default:
                throw StorageException.Internal($"blkid -p {device} failed (exit {result.ExitCode}): {Detail(result)}");
        }
    }

    public Task MakeAsync(string device, string fileSystemType) => RunMakeAsync(device, fileSystemType, force: false);

    public Task ReplaceIncompleteAsync(string device, string fileSystemType) =>
        RunMakeAsync(device, fileSystemType, force: true);

    public async Task<FileSystemCheck> CheckAsync(
        string device, string fileSystemType, CancellationToken cancellationToken = default)
    {
        EnsureLoopDevice(device);
        switch (fileSystemType)
        {
            case FileSystemTypes.Xfs:
                // mkfs.xfs sets sb_inprogress in its first superblock write and clears it last.
                var sb = await runner.RunAsync("xfs_db", ["-r", "-c", "sb 0", "-c", "print inprogress", device],
                    CheckTimeout, cancellationToken);
                return !sb.Succeeded ? FileSystemCheck.Unknown
                    : sb.StandardOutput.Trim() == "inprogress = 1" ? FileSystemCheck.Incomplete
                    : sb.StandardOutput.Trim() == "inprogress = 0" ? FileSystemCheck.Whole
                    : FileSystemCheck.Unknown;
            case FileSystemTypes.Ext4:
                // e2fsck -n changes nothing: exit 4 errors left uncorrected, 8 no usable filesystem structures.
                var fsck = await runner.RunAsync("e2fsck", ["-n", "-f", device], CheckTimeout, cancellationToken);
                return fsck.ExitCode switch
                {
                    0 => FileSystemCheck.Whole,
                    4 or 8 => FileSystemCheck.Incomplete,
                    _ => FileSystemCheck.Unknown,
                };
            case FileSystemTypes.Btrfs:
                var check = await runner.RunAsync("btrfs", ["check", "--readonly", device],
                    CheckTimeout, cancellationToken);
                return check.ExitCode switch
                {
                    0 => FileSystemCheck.Whole,
                    1 => FileSystemCheck.Incomplete,
                    _ => FileSystemCheck.Unknown,
                };
            default:
                return FileSystemCheck.Unknown;
        }
    }

    private async Task RunMakeAsync(string device, string fileSystemType, bool force)
    {
        EnsureLoopDevice(device);
        var (tool, arguments) = fileSystemType switch
        {
            FileSystemTypes.Ext4 => ("mkfs.ext4",
                new[] { "-q", "-m", "0", "-E", "nodiscard,lazy_itable_init=1,lazy_journal_init=1" }),
            FileSystemTypes.Xfs => ("mkfs.xfs", ["-q", "-K"]),
            FileSystemTypes.Btrfs => ("mkfs.btrfs", ["-q", "-K"]),
            _ => throw StorageException.InvalidArgument($"cannot make a '{fileSystemType}' filesystem (supported: {string.Join(", ", FileSystemTypes.Supported)})"),
        };
        // One -F for mke2fs (twice would allow a mounted device); -f for the others.
        string[] forced = force ? [fileSystemType == FileSystemTypes.Ext4 ? "-F" : "-f"] : [];
        // CancellationToken.None: the caller's deadline must never kill mkfs half-way.
        await runner.RunCheckedAsync(tool, [.. arguments, .. forced, device], MakeTimeout, CancellationToken.None);
    }

    public async Task GrowAsync(string device, string mountPoint, string fileSystemType, CancellationToken cancellationToken = default)
    {
        EnsureLoopDevice(device);
        var (tool, arguments) = fileSystemType switch
        {
            // resize2fs grows a mounted ext4 online through the device; the others need the mount point.
            FileSystemTypes.Ext4 => ("resize2fs", new[] { device }),
            FileSystemTypes.Xfs => ("xfs_growfs", ["-d", mountPoint]),
            FileSystemTypes.Btrfs => ("btrfs", ["filesystem", "resize", "max", mountPoint]),
            _ => throw StorageException.FailedPrecondition($"cannot grow a '{fileSystemType}' filesystem online"),
        };
        var result = await runner.RunAsync(tool, arguments, GrowTimeout, cancellationToken);
        if (result.Succeeded)
            return;
        var detail = Detail(result);
        // The kernel answers EPERM to EXT4_IOC_RESIZE_FS without CAP_SYS_RESOURCE, which some sandboxes drop.
        var hint = fileSystemType == FileSystemTypes.Ext4 && detail.Contains("Permission denied", StringComparison.Ordinal)
            ? " (online ext4 growth needs CAP_SYS_RESOURCE: run the node plugin privileged)"
            : "";
        throw StorageException.Internal($"{CommandRunner.Describe(tool, arguments)} failed (exit {result.ExitCode}): {detail}{hint}");
    }

    public async Task<long?> UnmountedSizeAsync(
        string device, string fileSystemType, CancellationToken cancellationToken = default)
    {
        EnsureLoopDevice(device);
        if (fileSystemType != FileSystemTypes.Ext4)
            return null;
        var result = await runner.RunCheckedAsync("dumpe2fs", ["-h", device], ProbeTimeout, cancellationToken);
        return ParseExt4Size(result.StandardOutput)
            ?? throw StorageException.Internal($"dumpe2fs -h {device} printed no block count and block size");
    }

    public async Task GrowUnmountedAsync(
        string device, string fileSystemType, CancellationToken cancellationToken = default)
    {
        EnsureLoopDevice(device);
        if (fileSystemType != FileSystemTypes.Ext4)
            throw StorageException.FailedPrecondition($"a '{fileSystemType}' filesystem grows only while mounted");
        // e2fsck -p exits 1 when it corrected something (a journal replayed, say): the filesystem is then clean.
        var check = await runner.RunAsync("e2fsck", ["-f", "-p", device], GrowTimeout, cancellationToken);
        if (check.ExitCode is not (0 or 1))
            throw StorageException.Internal(
                $"e2fsck -f -p {device} failed (exit {check.ExitCode}): {Detail(check)}; the filesystem was not grown");
        await runner.RunCheckedAsync("resize2fs", [device], GrowTimeout, cancellationToken);
    }

    /// <summary>Bytes of an ext4 filesystem: "Block count" times "Block size" of <c>dumpe2fs -h</c>.</summary>
    internal static long? ParseExt4Size(string output)
    {
        long? count = null, size = null;
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            if (colon < 0 || !long.TryParse(line.AsSpan(colon + 1).Trim(), invariant, out var value))
                continue;
            switch (line[..colon])
            {
                case "Block count":
                    count = value;
                    break;
                case "Block size":
                    size = value;
                    break;
            }
        }
        return count * size;
    }

    internal static Dictionary<string, string> ParseExport(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                fields[line[..eq]] = line[(eq + 1)..];
        }
        return fields;
    }

    // Defence in depth: whatever the caller checked, these tools only ever touch loop devices.
    private static void EnsureLoopDevice(string device)
    {
        if (!device.StartsWith("/dev/loop", StringComparison.Ordinal) || device.Length == "/dev/loop".Length
            || device.AsSpan("/dev/loop".Length).ContainsAnyExceptInRange('0', '9'))
            throw StorageException.Internal($"refusing to run a filesystem tool on '{device}': not a loop device");
    }

    private static string Detail(CommandResult result) =>
        (result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput).Trim();
}
