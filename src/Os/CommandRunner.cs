using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Loam.Storage.Os;

/// <summary>
/// Runs external tools and logs each run: the command line (tools get device paths and sizes,
/// never secrets), its exit code and how long it took.
/// </summary>
public sealed class CommandRunner(ILogger<CommandRunner> logger) : ICommandRunner
{
    public async Task<CommandResult> RunAsync(
        string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        var started = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            OsLog.CannotRun(logger, Describe(file, arguments), e.Message);
            throw StorageException.Internal($"cannot run {file}: {e.Message} (is it installed?)", e);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var why = cancellationToken.IsCancellationRequested
                ? "was cancelled"
                : $"timed out after {timeout.TotalSeconds:0}s";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            OsLog.Killed(logger, Describe(file, arguments), elapsed, why);
            throw StorageException.Internal($"{Describe(file, arguments)} {why}: {(await stderr).Trim()}");
        }
        var result = new CommandResult(process.ExitCode, await stdout, await stderr);
        var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        OsLog.Ran(logger, Describe(file, arguments), result.ExitCode, took);
        return result;
    }

    public static string Describe(string file, IReadOnlyList<string> arguments) =>
        arguments.Count == 0 ? file : $"{file} {string.Join(' ', arguments)}";
}
