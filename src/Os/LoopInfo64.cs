using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>
/// struct loop_info64 of linux/loop.h, 232 bytes: what LOOP_GET_STATUS64 fills in and the tail
/// of LOOP_CONFIGURE's struct loop_config. lo_device and lo_inode are the backing file's
/// st_dev (new_encode_dev) and st_ino, read by the kernel with vfs_getattr, so they hold in
/// every mount namespace, unlike the path in /sys/block/loopN/loop/backing_file.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LoopInfo64
{
    public ulong Device;
    public ulong Inode;
    public ulong RDevice;
    public ulong Offset;
    public ulong SizeLimit;
    public uint Number;
    public uint EncryptType;
    public uint EncryptKeySize;
    public uint Flags;
    public fixed byte FileName[64];
    public fixed byte CryptName[64];
    public fixed byte EncryptKey[32];
    public fixed ulong Init[2];
}
