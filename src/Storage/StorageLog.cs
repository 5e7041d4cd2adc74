using Microsoft.Extensions.Logging;

namespace Loam.Storage;

/// <summary>
/// Every log line of Storage's model, source-generated (what the OS seams log is in OsLog). What is logged is Loam's own: paths, IDs,
/// tool names and their arguments. No request field that may carry a secret (secrets,
/// mount flags, parameters) ever reaches Storage's logs.
/// </summary>
public static partial class StorageLog
{
    [LoggerMessage(EventId = 410, Level = LogLevel.Information,
        Message = "froze {MountPoint} (volume {VolumeId}) for a snapshot")]
    public static partial void Froze(ILogger logger, string mountPoint, string volumeId);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "thawed {MountPoint}")]
    public static partial void Thawed(ILogger logger, string mountPoint);

    [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "cannot thaw {MountPoint}: {Error}")]
    public static partial void ThawFailed(ILogger logger, string mountPoint, string error);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information,
        Message = "volume {VolumeId} has no read-write filesystem staged on this node: "
            + "its snapshot is crash-consistent only (not frozen)")]
    public static partial void CrashConsistentOnly(ILogger logger, string volumeId);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning,
        Message = "thawed {MountPoint} at start-up: a snapshot interrupted by a restart had left it frozen")]
    public static partial void ThawedLeftover(ILogger logger, string mountPoint);

    [LoggerMessage(EventId = 415, Level = LogLevel.Information,
        Message = "left {MountPoint} frozen at start-up: another process holds volume {VolumeId}'s lock")]
    public static partial void LeftFrozen(ILogger logger, string mountPoint, string volumeId);

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning,
        Message = "start-up sweep removed {Path} from pool {Pool}: {Reason}")]
    public static partial void Swept(ILogger logger, string pool, string path, string reason);

    [LoggerMessage(EventId = 431, Level = LogLevel.Information,
        Message = "start-up sweep of pool {Pool} removed {Removed} leftovers")]
    public static partial void SweepDone(ILogger logger, string pool, int removed);
}
