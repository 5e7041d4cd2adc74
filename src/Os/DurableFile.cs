using Mono.Unix.Native;

namespace Loam.Storage.Os;

/// <summary>
/// Writes that survive a crash at any instant: the old content or the new, never a torn
/// file. Write a temp file beside the target, fsync it, rename over the target, fsync
/// the directory. Temp files end in <see cref="TempSuffix"/> and are swept at start.
/// </summary>
public static class DurableFile
{
    public const string TempSuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            CrashPoints.Reach(CrashPoints.DurableTempSynced);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        SyncDirectory(dir);
    }

    /// <summary>Removes a file durably; a missing file is not an error.</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path))
            return;
        File.Delete(path);
        SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>fsync on a directory makes the names in it (creates, renames, unlinks) durable.</summary>
    public static void SyncDirectory(string dir)
    {
        var fd = Syscall.open(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        if (fd < 0)
            throw new IOException($"open {dir}: {Stdlib.GetLastError()}");
        try
        {
            if (Syscall.fsync(fd) < 0)
                throw new IOException($"fsync {dir}: {Stdlib.GetLastError()}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
