using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>The one image copier; each copy is logged: reflink or copy, and how long it took.</summary>
public sealed unsafe class ImageCopier(ILogger<ImageCopier> logger) : IImageCopier
{
    /// <summary>Largest piece handed to one copy_file_range or read/write round.</summary>
    private const int Chunk = 8 << 20;

    private const FilePermissions ReadOnlyMode = FilePermissions.S_IRUSR | FilePermissions.S_IRGRP;
    private const FilePermissions ReadWriteMode = ReadOnlyMode | FilePermissions.S_IWUSR | FilePermissions.S_IWGRP;

    public bool Copy(string source, string target, bool readOnly, bool reflink = true)
    {
        // Both ends follow the one open policy: a symlink at either name is refused, not followed.
        var started = Stopwatch.GetTimestamp();
        using var input = new FileStream(ImageOpen.Existing(source, write: false), FileAccess.Read, bufferSize: 0);
        try
        {
            using var output = new FileStream(ImageOpen.Create(target), FileAccess.ReadWrite, bufferSize: 0);
            var reflinked = reflink && TryClone(input, output, target);
            if (!reflinked)
                CopyData(input, output, source, target, reflink);
            output.Flush(flushToDisk: true);
            if (Syscall.fchmod(Fd(output), readOnly ? ReadOnlyMode : ReadWriteMode) != 0)
                throw Failure("fchmod", target, Stdlib.GetLastError());
            var method = reflinked ? "reflink"
                : reflink ? "copy (no reflink here)" : "copy (a thick volume owns its blocks)";
            OsLog.Copied(logger, source, target, method, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return reflinked;
        }
        catch (Exception e)
        {
            // A symlink at the target is left as it is (unlink would remove only the link, but it is not ours).
            if (e is not StorageException { Error: StorageError.FailedPrecondition })
                File.Delete(target);
            if (e is IOException io && IsNoSpace(io))
                throw StorageException.ResourceExhausted(
                    $"pool filesystem is full copying {Path.GetFileName(source)} to {Path.GetFileName(target)}", e);
            throw;
        }
    }

    private static bool TryClone(FileStream input, FileStream output, string target)
    {
        if (Libc.Ioctl(Fd(output), Libc.FiClone, Fd(input)) == 0)
            return true;
        var errno = Libc.LastError();
        // Not a reflink filesystem, or two filesystems: fall back to a copy.
        if (errno is Errno.EOPNOTSUPP or Errno.EXDEV or Errno.EINVAL or Errno.ENOTTY or Errno.ENOSYS or Errno.EPERM)
            return false;
        throw Failure("FICLONE", target, errno);
    }

    /// <summary>Copies the data extents only; the target is first sized so the holes between them stay holes.</summary>
    private static void CopyData(FileStream input, FileStream output, string source, string target, bool reflink)
    {
        var length = input.Length;
        output.SetLength(length);
        var offset = 0L;
        while (offset < length)
        {
            var data = Libc.Lseek(Fd(input), offset, Libc.SeekData);
            if (data < 0)
            {
                var errno = Libc.LastError();
                if (errno == Errno.ENXIO)
                    return; // only a hole remains
                if (errno != Errno.EINVAL)
                    throw Failure("lseek(SEEK_DATA)", source, errno);
                data = offset; // SEEK_DATA unsupported: all of it is data
            }
            var hole = Libc.Lseek(Fd(input), data, Libc.SeekHole);
            if (hole < 0)
                hole = length;
            CopyRange(input, output, target, data, Math.Min(hole, length), reflink);
            offset = hole;
        }
    }

    /// <param name="reflink">false forces read/write: copy_file_range may itself share extents (xfs, btrfs).</param>
    private static void CopyRange(
        FileStream input, FileStream output, string target, long start, long end, bool reflink)
    {
        if (!reflink)
        {
            ReadWrite(input, output, start, end);
            return;
        }
        var position = start;
        while (position < end)
        {
            long inOffset = position, outOffset = position;
            var want = (nuint)Math.Min(Chunk, end - position);
            var copied = Libc.CopyFileRange(Fd(input), &inOffset, Fd(output), &outOffset, want, 0);
            if (copied < 0)
            {
                var errno = Libc.LastError();
                if (errno is Errno.ENOSPC or Errno.EDQUOT)
                    throw StorageException.ResourceExhausted(
                        $"pool filesystem is full copying to {Path.GetFileName(target)}");
                if (errno is not (Errno.EXDEV or Errno.EOPNOTSUPP or Errno.ENOSYS or Errno.EINVAL))
                    throw Failure("copy_file_range", target, errno);
                ReadWrite(input, output, position, end);
                return;
            }
            if (copied == 0)
                return; // the source ended early (it shrank): nothing more to copy
            position += copied;
        }
    }

    /// <summary>Plain read/write, for kernels or filesystem pairs without copy_file_range.</summary>
    private static void ReadWrite(FileStream input, FileStream output, long start, long end)
    {
        var buffer = new byte[Math.Min(Chunk, end - start)];
        var position = start;
        while (position < end)
        {
            var want = (int)Math.Min(buffer.Length, end - position);
            var read = RandomAccess.Read(input.SafeFileHandle, buffer.AsSpan(0, want), position);
            if (read == 0)
                return;
            RandomAccess.Write(output.SafeFileHandle, buffer.AsSpan(0, read), position);
            position += read;
        }
    }

    private static int Fd(FileStream stream) => (int)stream.SafeFileHandle.DangerousGetHandle();

    private static IOException Failure(string call, string path, Errno errno) =>
        new($"{call} {path}: {Libc.Describe(errno)}");

    // ENOSPC (28) and EDQUOT (122) surface from FileStream as IOException with that HResult.
    private static bool IsNoSpace(IOException e) => (e.HResult & 0xFFFF) is 28 or 122;
}
