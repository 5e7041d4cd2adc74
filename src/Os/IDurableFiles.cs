namespace Loam.Storage.Os;

/// <summary>
/// Names that survive a crash at any instant. A write leaves the old content or the new, never
/// a torn or empty file; a call returns only once its change is durable. Concurrent callers in
/// one folder share that folder's fsyncs (<see cref="DirectorySyncs"/>), the way a database
/// group-commits its log, so a burst of commits pays for few folder flushes instead of one each.
/// </summary>
public interface IDurableFiles
{
    /// <summary>
    /// Writes a temp file beside <paramref name="path"/>, fsyncs it, renames it over the target and
    /// returns once the folder's entry is durable. A name made in the same folder before the call
    /// (an image beside its record) is durable on return too: the folder's fsync covers every entry.
    /// </summary>
    void Write(string path, ReadOnlySpan<byte> content);

    /// <summary>Removes a file and returns once its removal is durable; a missing file is not an error.</summary>
    void Delete(string path);

    /// <summary>Returns once every create, rename and unlink in <paramref name="folder"/> before the call
    /// is durable.</summary>
    void SyncFolder(string folder);
}
