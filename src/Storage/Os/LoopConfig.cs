using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>
/// struct loop_config of linux/loop.h (LOOP_CONFIGURE): the backing fd, block size and a
/// struct loop_info64, then reserved space. 304 bytes on every 64-bit and 32-bit ABI.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LoopConfig
{
    public const uint FlagReadOnly = 1;
    public const uint FlagDirectIo = 16;

    public uint Fd;
    public uint BlockSize;
    // struct loop_info64
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
    // end of loop_info64
    public fixed ulong Reserved[8];
}
