namespace Loam.Storage.Os;

public static class CommandRunnerExtensions
{
    /// <summary>Runs a tool that must succeed; a failure carries the tool's own stderr to the caller.</summary>
    public static async Task<CommandResult> RunCheckedAsync(this ICommandRunner runner, string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(file, arguments, timeout, cancellationToken);
        if (!result.Succeeded)
        {
            var detail = (result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput).Trim();
            throw StorageException.Internal($"{CommandRunner.Describe(file, arguments)} failed (exit {result.ExitCode}): {detail}");
        }
        return result;
    }
}
