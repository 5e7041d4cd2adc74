using Microsoft.Extensions.Logging;

namespace Loam.Csi;

/// <summary>Every log line of the CSI layer, source-generated.</summary>
public static partial class CsiLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Method} {Code} in {ElapsedMs:0.0} ms")]
    public static partial void CallCompleted(ILogger logger, string method, string code, double elapsedMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Method} {Code} in {ElapsedMs:0.0} ms: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, string code, double elapsedMs, string detail);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "{Method} failed unexpectedly in {ElapsedMs:0.0} ms")]
    public static partial void CallCrashed(ILogger logger, Exception exception, string method, double elapsedMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Method} request {Request}")]
    public static partial void CallRequest(ILogger logger, string method, string request);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "serving CSI {Services} on {Endpoint}")]
    public static partial void Serving(ILogger logger, string services, string endpoint);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "removed stale socket {Path}")]
    public static partial void StaleSocketRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "pool {Pool}: its filesystem refuses flock ({Reason}); locks on its volumes hold within this "
            + "process only, so a controller and a node plugin in other processes are not kept apart")]
    public static partial void CrossProcessLockingUnavailable(ILogger logger, string pool, string reason);
}
