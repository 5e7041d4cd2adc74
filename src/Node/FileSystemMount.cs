namespace Loam.Node;

/// <summary>
/// What <see cref="VolumeMounting"/> is to make at <see cref="Target"/>: the filesystem to make
/// when the device is blank (<see cref="Insist"/>: another one there is an error), whether the
/// device is attached read-only, and whether the mount is. A read-only device is never
/// formatted or grown; a read-only mount is not grown online.
/// </summary>
public sealed record FileSystemMount(
    string Operation,
    string Target,
    string FsType,
    bool Insist,
    MountOptions Options,
    uint? Group,
    bool DeviceReadOnly,
    bool MountReadOnly);
