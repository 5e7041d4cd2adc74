using Microsoft.Extensions.Logging;

namespace Loam.Storage.Os;

/// <summary>
/// The OS seams' log lines, source-generated: each external command with its arguments, exit
/// code and duration, and each image copy with its method. Arguments are Loam's own (tools,
/// devices, paths); no request field that may carry a secret reaches a command line.
/// </summary>
public static partial class OsLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "ran {Command}: exit {ExitCode} in {ElapsedMs:0} ms")]
    public static partial void Ran(ILogger logger, string command, int exitCode, double elapsedMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "killed {Command} after {ElapsedMs:0} ms: it {Why}")]
    public static partial void Killed(ILogger logger, string command, double elapsedMs, string why);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "cannot run {Command}: {Error}")]
    public static partial void CannotRun(ILogger logger, string command, string error);

    [LoggerMessage(EventId = 420, Level = LogLevel.Information,
        Message = "copied {Source} to {Target} by {Method} in {ElapsedMs:0} ms")]
    public static partial void Copied(ILogger logger, string source, string target, string method, double elapsedMs);
}
