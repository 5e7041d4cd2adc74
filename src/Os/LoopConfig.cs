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
    public LoopInfo64 Info;
    public fixed ulong Reserved[8];
}
