using System.Text;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// flock(2) on raw descriptors opened close-on-exec, so that no tool the driver runs (mkfs,
/// resize2fs) inherits a lock and keeps it past the driver's death. Raw descriptors also let
/// another process read a holder's text: .NET's own file opens take a shared flock and would
/// fail against the held one.
/// </summary>
public sealed class FileLocks : IFileLocks
{
    private const int MaxHolderBytes = 4096;

    // A holder that unlinks the file between our open and our flock makes us retry; a few
    // rounds settle any real interleaving, and more would only mean the path is contended.
    private const int Attempts = 4;

    public FileLockAttempt TryLock(string path)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC,
                FilePermissions.S_IRUSR | FilePermissions.S_IWUSR);
            if (fd < 0)
            {
                var errno = Stdlib.GetLastError();
                return errno switch
                {
                    Errno.ENOENT or Errno.ENOTDIR => FileLockAttempt.NoFolder,
                    // Nobody can write a read-only pool, so there is nothing to coordinate.
                    Errno.EROFS => FileLockAttempt.CannotLock($"open {path}: {Libc.Describe(errno)}"),
                    _ => Unavailable($"cannot open the lock file {path}: {Libc.Describe(errno)}"),
                };
            }
            var outcome = LockAndVerify(fd, path);
            if (outcome is not null)
                return outcome;
        }
        return FileLockAttempt.HeldElsewhere;
    }

    /// <returns>the outcome, or null when the path no longer names the locked file (retry).</returns>
    private static FileLockAttempt? LockAndVerify(int fd, string path)
    {
        var keep = false;
        try
        {
            if (Syscall.fstat(fd, out var opened) != 0 || (opened.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
                Unavailable($"the lock file {path} is not a regular file; the pool was tampered with");
            if (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
            {
                var errno = Libc.LastError();
                return errno switch
                {
                    Errno.EWOULDBLOCK or Errno.EINTR => FileLockAttempt.HeldElsewhere,
                    Errno.ENOLCK or Errno.EOPNOTSUPP or Errno.ENOSYS =>
                        FileLockAttempt.CannotLock($"flock {path}: {Libc.Describe(errno)}"),
                    _ => Unavailable($"cannot lock {path}: flock {Libc.Describe(errno)}"),
                };
            }
            // Granted: but on the file the path names now, or on one its last holder unlinked?
            if (Syscall.lstat(path, out var named) != 0
                || named.st_dev != opened.st_dev || named.st_ino != opened.st_ino)
                return null;
            keep = true;
            return FileLockAttempt.Taken(new Held(fd, path));
        }
        finally
        {
            if (!keep)
                Syscall.close(fd);
        }
    }

    public unsafe string? ReadHolder(string path)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            return null;
        try
        {
            var buffer = new byte[MaxHolderBytes];
            long read;
            fixed (byte* p = buffer)
                read = Syscall.pread(fd, p, (ulong)buffer.Length, 0);
            return read > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)read).Trim() : null;
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    private static FileLockAttempt Unavailable(string message) =>
        throw new StorageException(StorageError.Unavailable, message);

    private sealed class Held(int fd, string path) : IFileLock
    {
        private int _fd = fd;

        public void RemoveAndRelease()
        {
            if (Volatile.Read(ref _fd) >= 0)
                Syscall.unlink(path);
            Dispose();
        }

        public unsafe void Describe(string holder)
        {
            var bytes = Encoding.UTF8.GetBytes(holder + "\n");
            var fd = Volatile.Read(ref _fd);
            long written;
            fixed (byte* p = bytes)
                written = fd >= 0 && Syscall.ftruncate(fd, 0) == 0 ? Syscall.pwrite(fd, p, (ulong)bytes.Length, 0) : -1;
            if (written != bytes.Length)
                throw StorageException.Internal($"writing lock file {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
        }

        public void Dispose()
        {
            var open = Interlocked.Exchange(ref _fd, -1);
            if (open >= 0)
                Syscall.close(open);
        }
    }
}
