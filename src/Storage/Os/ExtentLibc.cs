using System.Runtime.InteropServices;

namespace Loam.Storage.Os;

/// <summary>
/// lseek(2) with SEEK_DATA/SEEK_HOLE (Mono.Posix knows only SET/CUR/END) and the FIEMAP
/// ioctl, with the kernel's structures. Only <see cref="ExtentReader"/> calls these.
/// </summary>
internal static unsafe partial class ExtentLibc
{
    internal const int SeekData = 3;
    internal const int SeekHole = 4;

    /// <summary>FS_IOC_FIEMAP = _IOWR('f', 11, struct fiemap).</summary>
    internal const nuint FsIocFiemap = 0xC020660B;

    /// <summary>FIEMAP_FLAG_SYNC: write dirty pages back first, so no extent is left delayed.</summary>
    internal const uint FiemapFlagSync = 0x1;

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    internal static partial long Lseek(int fd, long offset, int whence);

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
