using System.Diagnostics;

namespace Loam.Tests.Support;

/// <summary>Runs a tool from a test, without a shell; fails the test with the tool's stderr.</summary>
public static class Shell
{
    public static string Run(string file, params string[] arguments) =>
        TryRun(file, arguments) is { ExitCode: 0 } r ? r.Output
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {TryRun(file, arguments).Error}");

    public static (int ExitCode, string Output, string Error) TryRun(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
