using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// Every log line of the node side, source-generated. Mount flags are never logged: they may hold secrets.
/// </summary>
public static partial class NodeLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "attached {Image} to {Device} ({Mode}, direct I/O {DirectIo})")]
    public static partial void Attached(ILogger logger, string image, string device, string mode, bool directIo);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug,
        Message = "direct I/O refused for {Image} on {Device}: the pool filesystem cannot serve it at this block "
            + "size; using buffered I/O")]
    public static partial void DirectIoRefused(ILogger logger, string image, string device);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "detached {Device} ({Image})")]
    public static partial void Detached(ILogger logger, string device, string image);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information,
        Message = "made {FsType} on {Device} in {ElapsedMs:0} ms")]
    public static partial void Formatted(ILogger logger, string fsType, string device, double elapsedMs);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "mounted {Source} at {Target}")]
    public static partial void Mounted(ILogger logger, string source, string target);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "unmounted {Target}")]
    public static partial void Unmounted(ILogger logger, string target);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "recovering corrupt mount point {Path}: {Error}")]
    public static partial void RecoveringCorruptMount(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning,
        Message = "removing stale mount of {Device} at {Path}: its image was deleted")]
    public static partial void RemovingStaleMount(ILogger logger, string device, string path);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "grew {Device} to {Bytes} bytes ({FsType})")]
    public static partial void Expanded(ILogger logger, string device, long bytes, string fsType);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information,
        Message = "ephemeral volume {CoVolumeId} is {VolumeId}; {Action}")]
    public static partial void Ephemeral(ILogger logger, string coVolumeId, string volumeId, string action);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning,
        Message = "undoing a half-made {Operation} of {VolumeId}: {Error}")]
    public static partial void RollingBack(ILogger logger, string operation, string volumeId, string error);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information,
        Message = "grew the {FsType} filesystem on {Device} from {FromBytes} to {ToBytes} bytes before mounting it")]
    public static partial void GrewBeforeMount(
        ILogger logger, string device, long fromBytes, long toBytes, string fsType);

    [LoggerMessage(EventId = 330, Level = LogLevel.Information,
        Message = "unstaging {VolumeId} for the controller: staged at {Staging} on {Devices} with no publish "
            + "target left (the CO sent no NodeUnstageVolume)")]
    public static partial void UnstagingForController(ILogger logger, string volumeId, string staging, string devices);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning,
        Message = "{Device} of {VolumeId} holds an incomplete {FsType} left by Loam's own mkfs "
            + "(its record says no mkfs finished); making it anew")]
    public static partial void ReplacingIncomplete(ILogger logger, string device, string volumeId, string fsType);

    [LoggerMessage(EventId = 313, Level = LogLevel.Error,
        Message = "could not undo {Step} of a failed {Operation} of {VolumeId}: {Error}")]
    public static partial void UndoFailed(ILogger logger, string step, string operation, string volumeId, string error);
}
