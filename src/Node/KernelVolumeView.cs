using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// What the kernel says about one volume at one instant: the loop devices backed by its
/// image (also one whose image was deleted since), every mount of them as a filesystem,
/// and every bind of their device nodes. Read afresh by each call; never cached.
/// (Usage figures are <see cref="VolumeStats"/>.)
/// </summary>
public sealed class KernelVolumeView(
    NodeVolume volume,
    IReadOnlyList<MountInfo> mounts,
    IReadOnlyList<LoopDevice> devices,
    IReadOnlyList<BlockBind> blockBinds)
{
    public NodeVolume Volume => volume;
    public IReadOnlyList<MountInfo> Mounts => mounts;
    public IReadOnlyList<LoopDevice> Devices => devices;
    public IReadOnlyList<BlockBind> BlockBinds => blockBinds;

    /// <summary>Devices backed by the volume's current image (not a deleted one).</summary>
    public IEnumerable<LoopDevice> LiveDevices => devices.Where(d => !d.BackingDeleted);

    /// <summary>The mount on top at <paramref name="path"/> (the one a lookup there reaches), or null.</summary>
    public MountInfo? TopAt(string path) => mounts.LastOrDefault(m => m.MountPoint == path);

    /// <summary>The volume's device whose filesystem <paramref name="mount"/> shows, or null.</summary>
    public LoopDevice? DeviceOf(MountInfo mount) => devices.FirstOrDefault(d => d.DevicePath == mount.Source);

    public LoopDevice? LiveDeviceOf(MountInfo mount) =>
        DeviceOf(mount) is { BackingDeleted: false } device ? device : null;

    public BlockBind? BlockBindAt(string path) => blockBinds.LastOrDefault(b => b.Mount.MountPoint == path);

    public IEnumerable<MountInfo> FileSystemMountsOf(LoopDevice device) =>
        mounts.Where(m => m.Source == device.DevicePath);

    public IEnumerable<string> UsersOf(LoopDevice device) =>
        FileSystemMountsOf(device).Select(m => m.MountPoint)
            .Concat(blockBinds.Where(b => b.Device == device).Select(b => b.Mount.MountPoint));

    public bool InUse(LoopDevice device) => UsersOf(device).Any();

    /// <summary>
    /// Whether <paramref name="top"/> is a bind of a loop device node (what Loam puts at a block
    /// target) whose device no longer serves this volume: detached underneath, and perhaps
    /// reused since for another image. Such a bind is stale and safe to remove.
    /// </summary>
    public bool IsStaleLoopBind(MountInfo top, PathStatus node) =>
        node.Kind == PathKind.BlockDevice
        && top.Root.StartsWith("/loop", StringComparison.Ordinal)
        && !devices.Any(d => d.Number == node.DeviceNumber);
}
