using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>Reads <see cref="VolumeState"/> from /proc/self/mountinfo, /sys/block and lstat of candidate bind targets.</summary>
public sealed class VolumeStateReader(IMountTable mountTable, ILoopDevices loops, IHostFiles files)
{
    public VolumeState Read(NodeVolume volume)
    {
        var attached = loops.List();
        var devices = attached.Where(d => volume.ImagePaths.Contains(d.BackingPath)).ToList();
        var mounts = mountTable.Read();
        var binds = new List<BlockBind>();
        foreach (var mount in mounts)
        {
            // A bind of a device node shows the node's path inside /dev as its root.
            var device = devices.FirstOrDefault(d => mount.Root == "/" + d.Name);
            if (device is not null && files.Inspect(mount.MountPoint) is { Kind: PathKind.BlockDevice } node && node.DeviceNumber == device.Number)
                binds.Add(new BlockBind(mount, device));
        }
        return new VolumeState(volume, mounts, devices, binds);
    }
}
