using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// Images through <see cref="ImageOpen"/>: every open refuses symlinks and anything but a regular file.
/// </summary>
public sealed class ImageFiles : IImageFiles
{
    public void Create(string path, long size, bool allocate)
    {
        try
        {
            using var stream = new FileStream(ImageOpen.Create(path), FileAccess.ReadWrite, bufferSize: 0);
            stream.SetLength(size);
            if (allocate)
                Fallocate(stream, path, 0, size);
            stream.Flush(flushToDisk: true);
        }
        catch (StorageException e) when (e.Error != StorageError.FailedPrecondition)
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
        using var stream = new FileStream(ImageOpen.Existing(path, write: true), FileAccess.ReadWrite, bufferSize: 0);
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
        using var stream = new FileStream(ImageOpen.Existing(path, write: true), FileAccess.ReadWrite, bufferSize: 0);
        Fallocate(stream, path, 0, stream.Length);
        stream.Flush(flushToDisk: true);
    }

    public long AllocatedBytes(string path) => Stat(path).st_blocks * 512;

    public long Size(string path) => Stat(path).st_size;

    public bool Exists(string path) => Identify(path) is not null;

    public ImageIdentity? Identify(string path)
    {
        try
        {
            return ImageOpen.Lstat(path) is { } st ? ImageOpen.IdentityOf(st) : null;
        }
        catch (StorageException)
        {
            return null;
        }
    }

    public ulong? FolderDevice(string folder) => Syscall.stat(folder, out var st) == 0 ? st.st_dev : null;

    // unlink(2) removes a symlink itself, never what it points to. No folder fsync: see IImageFiles.Delete.
    public void Delete(string path)
    {
        if (Syscall.unlink(path) == 0)
            return;
        var errno = Stdlib.GetLastError();
        // EISDIR: a folder put where an image was is no image of ours; it is left alone, as before.
        if (errno is not (Errno.ENOENT or Errno.ENOTDIR or Errno.EISDIR))
            throw new IOException($"unlink {path}: {Libc.Describe(errno)}");
    }

    private static Stat Stat(string path) =>
        ImageOpen.Lstat(path) ?? throw new FileNotFoundException($"image {path} does not exist", path);

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
