namespace Loam.Storage.Os;

/// <summary>
/// <see cref="IDurableFiles"/> on the local filesystem. Each temp file gets its own fsync before
/// the rename (so the renamed record is never torn or empty); the folder's fsync after the rename
/// or unlink is shared with concurrent callers through <see cref="DirectorySyncs"/>.
/// Temp files end in <see cref="TempSuffix"/> and are swept at start.
/// </summary>
public sealed class DurableFiles(DirectorySyncs folders) : IDurableFiles
{
    public const string TempSuffix = ".tmp";

    public void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
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
        folders.Sync(Path.GetDirectoryName(path)!);
    }

    public void Delete(string path)
    {
        if (!File.Exists(path))
            return;
        File.Delete(path);
        folders.Sync(Path.GetDirectoryName(path)!);
    }

    public void SyncFolder(string folder) => folders.Sync(folder);
}
