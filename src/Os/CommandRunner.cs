using System.ComponentModel;
using System.Diagnostics;

namespace Loam.Storage.Os;

public sealed class CommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
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
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
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
            var why = cancellationToken.IsCancellationRequested ? "was cancelled" : $"timed out after {timeout.TotalSeconds:0}s";
            throw StorageException.Internal($"{Describe(file, arguments)} {why}: {(await stderr).Trim()}");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public static string Describe(string file, IReadOnlyList<string> arguments) =>
        arguments.Count == 0 ? file : $"{file} {string.Join(' ', arguments)}";
}
