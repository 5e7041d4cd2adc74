using System.Diagnostics;

namespace Loam.Tests.Deploy.Tools;

/// <summary>What a tool printed and how it ended.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public string OrThrow(string what) =>
        ExitCode == 0 ? Output : throw new InvalidOperationException($"{what} failed ({ExitCode}):\n{Error}\n{Output}");
}

/// <summary>Runs an external tool without a shell: arguments as given, optional stdin and environment.</summary>
public static class ToolRun
{
    public static ToolResult Run(string file, IEnumerable<string> arguments, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }
        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
