namespace Loam.Driver.Cli;

/// <summary>A failure the CLI itself detects (bad input, unknown mount), with the exit code it ends with.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
