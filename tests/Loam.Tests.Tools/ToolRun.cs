using System.Diagnostics;
using System.Text.Json;

namespace Loam.Tests.Tools;

/// <summary>How a run of `loam` or `loam-bench` ended: its exit code and what it printed.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Error)
{
    public static async Task<ToolRun> StartAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new ToolRun(process.ExitCode, await output, await error);
    }

    /// <summary>Fails with everything the tool said unless it exited 0.</summary>
    public ToolRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}");
        return this;
    }

    public JsonElement Json() => JsonDocument.Parse(Output).RootElement;

    /// <summary>The bench's one JSON line: the last line of its output.</summary>
    public JsonElement LastJsonLine() => JsonDocument.Parse(Output.TrimEnd().Split('\n')[^1]).RootElement;
}
