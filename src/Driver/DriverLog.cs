
namespace Loam.Driver;

public static partial class DriverLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "loam {Version} starting: mode {Mode}, node {NodeId}, pools {Pools}")]
    public static partial void Starting(ILogger logger, string version, string mode, string nodeId, string pools);


    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "not ready: {Problem}")]
    public static partial void NotReady(ILogger logger, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "stopped; socket {Path} removed")]
    public static partial void Stopped(ILogger logger, string path);
}
