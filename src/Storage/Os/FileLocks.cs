using System.Text;
using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// flock(2) on raw descriptors opened close-on-exec, so that no tool the driver runs
/// (mkfs, resize2fs) inherits a lock and keeps it past the driver's death. Raw descriptors
/// also let another process read the holder's text: .NET's own file opens take a shared
/// flock and would fail against the held one.
/// </summary>
public sealed class FileLocks : IFileLocks
{
    private const int MaxHolderBytes = 4096;

    public IDisposable? TryLock(string path, string holder)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC,
            FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP);
        if (fd < 0)
            throw StorageException.Internal($"opening lock file {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
        if (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
        {
            var errno = Libc.LastError();
            Syscall.close(fd);
            return errno == Errno.EWOULDBLOCK
                ? null
                : throw StorageException.Internal($"flock {path} failed: {Libc.Describe(errno)}");
        }
        try
        {
            Write(fd, path, holder);
        }
        catch
        {
            Syscall.close(fd);
            throw;
        }
        return new Held(fd);
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

    private static unsafe void Write(int fd, string path, string holder)
    {
        var bytes = Encoding.UTF8.GetBytes(holder + "\n");
        long written;
        fixed (byte* p = bytes)
            written = Syscall.ftruncate(fd, 0) == 0 ? Syscall.pwrite(fd, p, (ulong)bytes.Length, 0) : -1;
        if (written != bytes.Length)
            throw StorageException.Internal($"writing lock file {path} failed: {Libc.Describe(Stdlib.GetLastError())}");
    }

    private sealed class Held(int fd) : IDisposable
    {
        private int _fd = fd;

        // Closing the descriptor releases the lock; the file stays, holding the last holder's text.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _fd, -1) is var open and >= 0)
                Syscall.close(open);
        }
    }
}
