using Mono.Unix.Native;

namespace Loam.Storage.Os;

public sealed class ImageFiles : IImageFiles
{
    public void Create(string path, long size, bool allocate)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            stream.SetLength(size);
            if (allocate)
                Fallocate(stream, path, 0, size);
            stream.Flush(flushToDisk: true);
        }
        catch (StorageException)
        {
            File.Delete(path);
            throw;
        }
        catch (IOException e) when (NoSpace.Is(e))
        {
            File.Delete(path);
            throw StorageException.ResourceExhausted($"pool filesystem is full making {Path.GetFileName(path)}", e);
        }
    }

    public void Grow(string path, long size, bool allocate)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        var old = stream.Length;
        if (size <= old)
            return;
        if (allocate)
            Fallocate(stream, path, old, size - old);
        stream.SetLength(size);
        stream.Flush(flushToDisk: true);
    }

    public void Allocate(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        Fallocate(stream, path, 0, stream.Length);
        stream.Flush(flushToDisk: true);
    }

    public long AllocatedBytes(string path) =>
        Syscall.stat(path, out var st) == 0 ? st.st_blocks * 512 : throw new IOException($"stat {path}: {Stdlib.GetLastError()}");

    public long Size(string path) => new FileInfo(path).Length;

    public bool Exists(string path) => File.Exists(path);

    public void Delete(string path) => DurableFile.Delete(path);

    private static void Fallocate(FileStream stream, string path, long offset, long length)
    {
        if (length <= 0)
            return;
        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        // posix_fallocate returns the error number instead of setting errno.
        var error = Syscall.posix_fallocate(fd, offset, (ulong)length);
        if (error == 0)
            return;
        var errno = NativeConvert.ToErrno(error);
        if (errno is Errno.ENOSPC or Errno.EDQUOT)
            throw StorageException.ResourceExhausted($"pool filesystem is full: cannot allocate {ByteSize.Format(length)} for {Path.GetFileName(path)}");
        throw new IOException($"posix_fallocate {path}: {errno}");
    }
}
