using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// The one open policy for images, below every RPC: an image is opened with O_NOFOLLOW and
/// O_CLOEXEC and used only when the opened file is a regular file. A symlink swapped in for
/// volumes/&lt;id&gt;.img (anyone who can write the pool, on a shared pool any node, can do it)
/// is refused, so no RPC grows, allocates, copies, reads or attaches the file it points to.
/// </summary>
internal static class ImageOpen
{
    private const FilePermissions NewImageMode =
        FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IWGRP;

    /// <summary>Opens an existing image.</summary>
    /// <exception cref="FileNotFoundException">nothing is there.</exception>
    /// <exception cref="StorageException">FailedPrecondition for a symlink or anything but a regular file.</exception>
    public static SafeFileHandle Existing(string path, bool write) =>
        Checked(path, write ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY, NewImageMode);

    /// <summary>Creates an image, or truncates a leftover regular file; a symlink there is refused.</summary>
    public static SafeFileHandle Create(string path) =>
        Checked(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, NewImageMode);

    /// <summary>lstat(2) of the image: its identity, or null when nothing is there.</summary>
    /// <exception cref="StorageException">FailedPrecondition for a symlink or anything but a regular file.</exception>
    public static Stat? Lstat(string path)
    {
        if (Syscall.lstat(path, out var st) == 0)
        {
            EnsureRegular(path, st);
            return st;
        }
        var errno = Stdlib.GetLastError();
        return errno is Errno.ENOENT or Errno.ENOTDIR
            ? null
            : throw new IOException($"lstat {path}: {Libc.Describe(errno)}");
    }

    public static ImageIdentity IdentityOf(Stat st) => new(st.st_dev, st.st_ino);

    public static Stat Fstat(SafeFileHandle handle, string path) =>
        Syscall.fstat((int)handle.DangerousGetHandle(), out var st) == 0
            ? st
            : throw new IOException($"fstat {path}: {Libc.Describe(Stdlib.GetLastError())}");

    private static SafeFileHandle Checked(string path, OpenFlags flags, FilePermissions mode)
    {
        // O_NONBLOCK: opening a FIFO swapped in for an image must not hang; regular files ignore it.
        var fd = Syscall.open(path, flags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK, mode);
        if (fd < 0)
        {
            var errno = Stdlib.GetLastError();
            throw errno switch
            {
                Errno.ENOENT => new FileNotFoundException($"image {path} does not exist", path),
                Errno.ELOOP => NotRegular(path, "a symbolic link"),
                Errno.EISDIR or Errno.ENXIO or Errno.ENODEV or Errno.ETXTBSY => NotRegular(path, "not a regular file"),
                Errno.ENOSPC or Errno.EDQUOT =>
                    StorageException.ResourceExhausted($"pool filesystem is full making {Path.GetFileName(path)}"),
                _ => new IOException($"open {path}: {Libc.Describe(errno)}"),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            EnsureRegular(path, Fstat(handle, path));
            // Blocking again for the real I/O.
            _ = Syscall.fcntl(fd, FcntlCommand.F_SETFL, 0);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void EnsureRegular(string path, Stat st)
    {
        var type = st.st_mode & FilePermissions.S_IFMT;
        if (type == FilePermissions.S_IFREG)
            return;
        throw NotRegular(path, type == FilePermissions.S_IFLNK ? "a symbolic link" : "not a regular file");
    }

    private static StorageException NotRegular(string path, string what) =>
        StorageException.FailedPrecondition(
            $"image {path} is {what}; Loam opens only regular files in its pool, and never follows links");
}
