namespace Loam.Storage.Os;

/// <summary>
/// Who an image is: (st_dev, st_ino) of the regular file, as lstat(2) and fstat(2) report
/// them and as LOOP_GET_STATUS64 reports a loop device's backing file. Unlike a path, this
/// stays the same in every mount namespace, so a driver restarted in a new container still
/// recognises the devices its predecessor attached. <see cref="Device"/> is glibc's dev_t.
/// </summary>
public readonly record struct ImageIdentity(ulong Device, ulong Inode)
{
    /// <summary>
    /// lo_device of struct loop_info64 is the kernel's new_encode_dev of the backing file's device
    /// (12-bit major above an 8-bit minor, the minor's high bits above that); this is that device
    /// as glibc's makedev encodes it, so it compares equal to st_dev.
    /// </summary>
    public static ulong DeviceFromKernel(ulong newEncoded)
    {
        var major = (newEncoded & 0xfff00) >> 8;
        var minor = (newEncoded & 0xff) | ((newEncoded >> 12) & 0xfff00);
        return ((major & 0xfff) << 8) | ((major & ~0xfffUL) << 32) | (minor & 0xff) | ((minor & ~0xffUL) << 12);
    }

    public override string ToString() => $"dev {HostFiles.DeviceNumber(Device)} ino {Inode}";
}
