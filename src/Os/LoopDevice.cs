namespace Loam.Storage.Os;

/// <summary>
/// An attached loop device, as the kernel reports it in /sys/block/loopN. <see cref="Number"/>
/// is "MAJOR:MINOR", what stat(2) of a bind-mounted device node shows as st_rdev.
/// <see cref="Image"/> is who the backing file is (LOOP_GET_STATUS64); <see cref="BackingFile"/>
/// is only the kernel's text for it, relative to the mount namespace the image was opened in
/// (a device attached by a container that is gone reads differently here): it is for logs,
/// and its file name for finding a device whose image was deleted.
/// </summary>
public sealed record LoopDevice(
    string DevicePath,
    string BackingFile,
    long SizeBytes,
    bool ReadOnly,
    bool DirectIo,
    string Number,
    ImageIdentity Image)
{
    /// <summary>The kernel appends this to the backing file when the image was unlinked while attached.</summary>
    public const string DeletedSuffix = " (deleted)";

    public string Name => Path.GetFileName(DevicePath);

    /// <summary>The backing file as it was named before any unlink.</summary>
    public string BackingPath => BackingFile.EndsWith(DeletedSuffix, StringComparison.Ordinal) ? BackingFile[..^DeletedSuffix.Length] : BackingFile;

    public bool BackingDeleted => BackingFile.EndsWith(DeletedSuffix, StringComparison.Ordinal);
}
