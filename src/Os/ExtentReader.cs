using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// An image opened read-only (by <see cref="ImageOpen"/>) for SEEK_DATA/SEEK_HOLE, FIEMAP and positional reads.
/// </summary>
internal sealed class ExtentReader : IExtentReader
{
    /// <summary>Extents fetched per FIEMAP call: 32 + 128 × 56 bytes of buffer.</summary>
    private const int ExtentsPerCall = 128;

    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private bool? _mapsExtents;

    public ExtentReader(string path)
    {
        _path = path;
        _handle = ImageOpen.Existing(path, write: false);
        Length = RandomAccess.GetLength(_handle);
    }

    public long Length { get; }

    public bool MapsExtents => _mapsExtents ??= ProbeExtents();

    public IEnumerable<ByteRange> Allocated(long from)
    {
        var offset = Math.Max(0, from);
        while (offset < Length)
        {
            var data = Seek(offset, Libc.SeekData);
            if (data < 0 || data >= Length)
                yield break;
            var hole = Seek(data, Libc.SeekHole);
            var end = hole < 0 ? Length : Math.Min(hole, Length);
            yield return ByteRange.FromTo(data, end);
            offset = end;
        }
    }

    public IEnumerable<FileExtent> Extents(long from)
    {
        var offset = Math.Max(0, from);
        var batch = new List<FileExtent>(ExtentsPerCall);
        while (offset < Length)
        {
            batch.Clear();
            var last = Map(offset, batch);
            foreach (var extent in batch)
                yield return extent;
            if (last || batch.Count == 0)
                yield break;
            offset = Math.Max(offset + 1, batch[^1].End);
        }
    }

    public int Read(long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (read == 0)
                break;
            total += read;
        }
        return total;
    }

    public void Dispose() => _handle.Dispose();

    private int Fd => (int)_handle.DangerousGetHandle();

    /// <summary>lseek with SEEK_DATA/SEEK_HOLE; -1 when no data lies at or after the offset (ENXIO).</summary>
    private long Seek(long offset, int whence)
    {
        var result = Libc.Lseek(Fd, offset, whence);
        if (result >= 0)
            return result;
        var errno = Libc.LastError();
        if (errno == Errno.ENXIO)
            return -1;
        throw new IOException($"lseek {(whence == Libc.SeekData ? "SEEK_DATA" : "SEEK_HOLE")} at {offset} in {_path}: {Libc.Describe(errno)}");
    }

    /// <summary>FIEMAP asking for no extents only counts them: cheap, and refused where the filesystem has no FIEMAP.</summary>
    private unsafe bool ProbeExtents()
    {
        var header = new ExtentLibc.FiemapHeader { Start = 0, Length = ulong.MaxValue, ExtentCount = 0 };
        if (Libc.Ioctl(Fd, ExtentLibc.FsIocFiemap, &header) == 0)
            return true;
        var errno = Libc.LastError();
        if (errno is Errno.EOPNOTSUPP or Errno.ENOTTY)
            return false;
        throw new IOException($"FIEMAP of {_path}: {Libc.Describe(errno)}");
    }

    /// <summary>One FIEMAP call from <paramref name="offset"/> to the end; true when the file's last extent is among them.</summary>
    private unsafe bool Map(long offset, List<FileExtent> into)
    {
        var size = sizeof(ExtentLibc.FiemapHeader) + ExtentsPerCall * sizeof(ExtentLibc.FiemapExtent);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)size);
        try
        {
            var header = (ExtentLibc.FiemapHeader*)buffer;
            header->Start = (ulong)offset;
            header->Length = (ulong)(Length - offset);
            header->Flags = ExtentLibc.FiemapFlagSync;
            header->ExtentCount = ExtentsPerCall;
            if (Libc.Ioctl(Fd, ExtentLibc.FsIocFiemap, buffer) != 0)
                throw new IOException($"FIEMAP at {offset} in {_path}: {Libc.Describe(Libc.LastError())}");
            var extents = (ExtentLibc.FiemapExtent*)(buffer + sizeof(ExtentLibc.FiemapHeader));
            var last = false;
            for (var i = 0; i < header->MappedExtents; i++)
            {
                var e = extents[i];
                var flags = (ExtentFlags)e.Flags;
                into.Add(new FileExtent((long)e.Logical, (long)e.Physical, (long)e.Length, flags));
                last |= (flags & ExtentFlags.Last) != 0;
            }
            return last;
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }
}
