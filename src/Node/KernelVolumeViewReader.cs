using Loam.Storage.Images;
using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// Reads <see cref="KernelVolumeView"/> from /proc/self/mountinfo, the loop devices (matched to the
/// image by device and inode, <see cref="ImageLoops"/>) and lstat of candidate bind targets.
/// </summary>
public sealed class KernelVolumeViewReader(
    IMountTable mountTable, ILoopDevices loops, IImageFiles images, IHostFiles files)
{
    public KernelVolumeView Read(NodeVolume volume)
    {
        var devices = ImageLoops.Holding(loops.List(), images, volume.ImagePaths);
        var mounts = mountTable.Read();
        var binds = new List<BlockBind>();
        foreach (var mount in mounts)
        {
            // A bind of a device node shows the node's path inside /dev as its root.
            var device = devices.FirstOrDefault(d => mount.Root == "/" + d.Name);
            if (device is not null && files.Inspect(mount.MountPoint) is { Kind: PathKind.BlockDevice } node
                && node.DeviceNumber == device.Number)
                binds.Add(new BlockBind(mount, device));
        }
        return new KernelVolumeView(volume, mounts, devices, binds);
    }
}
