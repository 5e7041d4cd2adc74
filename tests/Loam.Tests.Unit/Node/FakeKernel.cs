using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// One consistent in-memory model of what the node's seams see: the mount table, loop
/// devices, CO paths, filesystem signatures and statvfs. Mounting changes what Read()
/// returns, binding a device node makes the target inspect as that device, and signatures
/// live with the image (they survive detach and re-attach) as on a real disk. Images are real
/// files in a temp folder: attach opens them as the kernel would with O_NOFOLLOW (a symlink
/// fails with ELOOP, refused) and each device reports the image's real (st_dev, st_ino), as
/// LOOP_GET_STATUS64 does, whatever its backing-file text says.
/// </summary>
public sealed class FakeKernel : IMountTable, ILoopDevices, IMounter, IHostFiles, IFileSystemTools, IFileSystemSpace
{
    private readonly List<MountInfo> _mounts = [];
    private readonly List<LoopDevice> _loops = [];
    private readonly Dictionary<string, PathStatus> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<ImageIdentity, DeviceSignature> _signatures = [];
    private readonly Dictionary<ImageIdentity, FileSystemCheck> _checks = [];
    private int _nextMountId = 100;
    private int _nextLoop;

    public List<string> Formatted { get; } = [];
    public List<(string Device, string MountPoint, string FsType)> Grown { get; } = [];
    public Dictionary<string, uint> Groups { get; } = new(StringComparer.Ordinal);
    public HashSet<string> CorruptPaths { get; } = new(StringComparer.Ordinal);
    public Exception? NextMountFailure { get; set; }

    public IReadOnlyList<MountInfo> Read() => [.. _mounts];

    public IReadOnlyList<MountInfo> MountsAt(string path) => [.. _mounts.Where(m => m.MountPoint == path)];

    // ILoopDevices
    public IReadOnlyList<LoopDevice> List() => [.. _loops];

    public LoopDevice Attach(string imagePath, bool readOnly, bool directIo)
    {
        var n = _nextLoop++;
        var device = new LoopDevice($"/dev/loop{n}", imagePath, new FileInfo(imagePath).Length, readOnly, directIo, $"7:{n}", IdentityOf(imagePath));
        _loops.Add(device);
        return device;
    }

    /// <summary>
    /// What a driver restarted in a new mount namespace sees: the kernel prints the backing file
    /// relative to the dead namespace's bind mount of the pool (/volumes/vol-….img); the device
    /// and inode are unchanged.
    /// </summary>
    public void SeenFromAnotherNamespace(string devicePath, string backingText)
    {
        var i = _loops.FindIndex(d => d.DevicePath == devicePath);
        _loops[i] = _loops[i] with { BackingFile = backingText };
    }

    /// <summary>open(2) with O_NOFOLLOW of an image, then fstat: what LOOP_CONFIGURE's backing fd is.</summary>
    private static ImageIdentity IdentityOf(string imagePath)
    {
        var info = new FileInfo(imagePath);
        if (info.LinkTarget is not null)
            throw StorageException.FailedPrecondition($"image {imagePath} is a symbolic link (ELOOP); it is not attached");
        if (!info.Exists)
            throw StorageException.NotFound($"image {imagePath} does not exist");
        return new ImageFiles().Identify(imagePath) ?? throw StorageException.FailedPrecondition($"image {imagePath} is not a regular file");
    }

    public void Detach(string devicePath) => _loops.RemoveAll(d => d.DevicePath == devicePath);

    public void RefreshSize(string devicePath)
    {
        var i = _loops.FindIndex(d => d.DevicePath == devicePath);
        _loops[i] = _loops[i] with { SizeBytes = new FileInfo(_loops[i].BackingFile).Length };
    }

    /// <summary>What a detach followed by another attach that reuses the free number does.</summary>
    public void ReuseFor(string devicePath, string otherImagePath)
    {
        var i = _loops.FindIndex(d => d.DevicePath == devicePath);
        var other = File.Exists(otherImagePath) ? IdentityOf(otherImagePath) : new ImageIdentity(0, (ulong)(1_000_000 + i));
        _loops[i] = _loops[i] with { BackingFile = otherImagePath, Image = other };
    }

    /// <summary>Replaces what the kernel reports for a device (for states a test cannot reach through the seams).</summary>
    public void Change(string devicePath, Func<LoopDevice, LoopDevice> change)
    {
        var i = _loops.FindIndex(d => d.DevicePath == devicePath);
        _loops[i] = change(_loops[i]);
    }

    /// <summary>What unlinking the image of an attached device does to its backing file name (the inode stays).</summary>
    public void MarkBackingDeleted(string devicePath)
    {
        var i = _loops.FindIndex(d => d.DevicePath == devicePath);
        _loops[i] = _loops[i] with { BackingFile = _loops[i].BackingFile + LoopDevice.DeletedSuffix };
    }

    // IMounter
    public void Mount(string device, string target, string fileSystemType, KernelMountFlags flags, string data)
    {
        if (NextMountFailure is { } failure)
        {
            NextMountFailure = null;
            throw failure;
        }
        var loop = _loops.Single(d => d.DevicePath == device);
        var perMount = flags.HasFlag(KernelMountFlags.ReadOnly) ? "ro" : "rw";
        string[] super = [perMount, .. data.Split(',', StringSplitOptions.RemoveEmptyEntries)];
        _mounts.Add(new MountInfo(_nextMountId++, 1, loop.Number, "/", target, [perMount, .. Names(flags)], fileSystemType, device, super));
    }

    public void Bind(string source, string target, KernelMountFlags flags)
    {
        var perMount = flags.HasFlag(KernelMountFlags.ReadOnly) ? "ro" : "rw";
        if (_loops.FirstOrDefault(d => d.DevicePath == source) is { } device)
        {
            _mounts.Add(new MountInfo(_nextMountId++, 1, "0:6", "/" + device.Name, target, [perMount], "devtmpfs", "devtmpfs", ["rw"]));
            _paths[target] = new PathStatus(PathKind.BlockDevice, device.Number);
            return;
        }
        var origin = _mounts.Last(m => m.MountPoint == source);
        _mounts.Add(origin with { MountId = _nextMountId++, MountPoint = target, MountOptions = [perMount, .. Names(flags)] });
    }

    public bool Unmount(string target)
    {
        var i = _mounts.FindLastIndex(m => m.MountPoint == target);
        if (i < 0)
            return false;
        if (_mounts[i].FsType == "devtmpfs")
            _paths[target] = new PathStatus(PathKind.File);
        _mounts.RemoveAt(i);
        CorruptPaths.Remove(target);
        return true;
    }

    // IHostFiles
    public string Resolve(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    public PathStatus Inspect(string path)
    {
        if (CorruptPaths.Contains(path))
            return new PathStatus(PathKind.Unreadable, Error: "ENOTCONN (Transport endpoint is not connected)");
        return _paths.TryGetValue(path, out var status) ? status : PathStatus.Missing;
    }

    public void CreateDirectory(string path)
    {
        if (_paths.TryGetValue(path, out var status) && status.Kind != PathKind.Directory)
            throw StorageException.FailedPrecondition($"{path} exists and is not a directory");
        _paths[path] = new PathStatus(PathKind.Directory);
    }

    public void CreateFile(string path)
    {
        if (!_paths.ContainsKey(path))
            _paths[path] = new PathStatus(PathKind.File);
    }

    public void Remove(string path) => _paths.Remove(path);

    public void GrantGroup(string path, uint groupId) => Groups[path] = groupId;

    // IFileSystemTools
    public Task<DeviceSignature> ProbeAsync(string device, CancellationToken cancellationToken = default) =>
        Task.FromResult(_signatures.GetValueOrDefault(ImageOf(device), DeviceSignature.Blank));

    /// <summary>Like the real tools unforced: a device that holds any signature is refused.</summary>
    public async Task MakeAsync(string device, string fileSystemType)
    {
        if (!_signatures.GetValueOrDefault(ImageOf(device), DeviceSignature.Blank).IsBlank)
            throw StorageException.Internal($"mkfs.{fileSystemType}: {device} appears to contain an existing filesystem");
        await (MkfsGate?.Task ?? Task.CompletedTask);
        _signatures[ImageOf(device)] = new DeviceSignature(fileSystemType, null);
        Formatted.Add(device);
    }

    public Task ReplaceIncompleteAsync(string device, string fileSystemType)
    {
        _signatures[ImageOf(device)] = new DeviceSignature(fileSystemType, null);
        _checks.Remove(ImageOf(device));
        Formatted.Add(device);
        Replaced.Add(device);
        return Task.CompletedTask;
    }

    /// <summary>What the filesystem's own check says of an image's device; whole unless a test says otherwise.</summary>
    public Task<FileSystemCheck> CheckAsync(string device, string fileSystemType, CancellationToken cancellationToken = default) =>
        Task.FromResult(_checks.GetValueOrDefault(ImageOf(device), FileSystemCheck.Whole));

    public void SetCheck(string imagePath, FileSystemCheck check) => _checks[IdentityOf(imagePath)] = check;

    /// <summary>When set, mkfs runs until the test completes it (a slow mkfs).</summary>
    public TaskCompletionSource? MkfsGate { get; set; }

    /// <summary>Devices formatted over an incomplete filesystem.</summary>
    public List<string> Replaced { get; } = [];

    public Task GrowAsync(string device, string mountPoint, string fileSystemType, CancellationToken cancellationToken = default)
    {
        if (NextGrowFailure is { } failure)
        {
            NextGrowFailure = null;
            throw failure;
        }
        Grown.Add((device, mountPoint, fileSystemType));
        return Task.CompletedTask;
    }

    /// <summary>ext4 filesystems smaller than their device, by device path; grown offline they fill it.</summary>
    public Dictionary<string, long> SmallFileSystems { get; } = new(StringComparer.Ordinal);
    public List<string> GrownUnmounted { get; } = [];
    public Exception? NextGrowFailure { get; set; }

    public Task<long?> UnmountedSizeAsync(string device, string fileSystemType, CancellationToken cancellationToken = default) =>
        Task.FromResult<long?>(fileSystemType != "ext4" ? null
            : SmallFileSystems.TryGetValue(device, out var small) ? small : _loops.Single(d => d.DevicePath == device).SizeBytes);

    public Task GrowUnmountedAsync(string device, string fileSystemType, CancellationToken cancellationToken = default)
    {
        if (NextGrowFailure is { } failure)
        {
            NextGrowFailure = null;
            throw failure;
        }
        if (_mounts.Any(m => m.Source == device))
            throw new InvalidOperationException($"{device} is mounted; an offline grow would corrupt it");
        GrownUnmounted.Add(device);
        SmallFileSystems.Remove(device);
        return Task.CompletedTask;
    }

    public void SetSignature(string imagePath, DeviceSignature signature) => _signatures[IdentityOf(imagePath)] = signature;

    // IFileSystemSpace
    public SpaceInfo Query(string path) => new(TotalBytes: 1L << 30, FreeBytes: 900L << 20, AvailableBytes: 850L << 20, TotalInodes: 65536, FreeInodes: 65000, ReadOnly: false);

    public void Sync(string path)
    {
    }

    /// <summary>A directory the CO made (staging directories, target parents).</summary>
    public void MakeDirectory(string path) => _paths[path] = new PathStatus(PathKind.Directory);

    /// <summary>Replaces a mount's superblock options, as the kernel does after an error.</summary>
    public void SetSuperOptions(string mountPoint, params string[] options)
    {
        for (var i = 0; i < _mounts.Count; i++)
        {
            if (_mounts[i].MountPoint == mountPoint)
                _mounts[i] = _mounts[i] with { SuperOptions = options };
        }
    }

    private ImageIdentity ImageOf(string device) => _loops.Single(d => d.DevicePath == device).Image;

    private static IEnumerable<string> Names(KernelMountFlags flags)
    {
        if (flags.HasFlag(KernelMountFlags.NoSuid))
            yield return "nosuid";
        if (flags.HasFlag(KernelMountFlags.NoDev))
            yield return "nodev";
        if (flags.HasFlag(KernelMountFlags.NoExec))
            yield return "noexec";
        if (flags.HasFlag(KernelMountFlags.NoAtime))
            yield return "noatime";
    }
}
