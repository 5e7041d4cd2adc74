using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>
/// The FIEMAP ioctl with the kernel's structures. Only <see cref="ExtentReader"/> calls these;
/// its SEEK_DATA/SEEK_HOLE walk uses <see cref="Libc.Lseek"/>, shared with the image copier.
/// </summary>
internal static unsafe partial class ExtentLibc
{
    /// <summary>FS_IOC_FIEMAP = _IOWR('f', 11, struct fiemap).</summary>
    internal const nuint FsIocFiemap = 0xC020660B;

    /// <summary>FIEMAP_FLAG_SYNC: write dirty pages back first, so no extent is left delayed.</summary>
    internal const uint FiemapFlagSync = 0x1;

    /// <summary>struct fiemap without its trailing extent array (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FiemapHeader
    {
        public ulong Start;
        public ulong Length;
        public uint Flags;
        public uint MappedExtents;
        public uint ExtentCount;
        public uint Reserved;
    }

    /// <summary>struct fiemap_extent (56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FiemapExtent
    {
        public ulong Logical;
        public ulong Physical;
        public ulong Length;
        public ulong Reserved64A;
        public ulong Reserved64B;
        public uint Flags;
        public uint ReservedA;
        public uint ReservedB;
        public uint ReservedC;
    }
}
