using System.Diagnostics;
using System.Text.Json;

namespace Loam.Bench;

/// <summary>
/// Runs fio (the Debian package `fio`) and reads its JSON report. The bench installs nothing:
/// when fio is missing it says so and the scenario stops before it makes anything.
/// </summary>
public static class Fio
{
    /// <exception cref="InvalidOperationException">fio is not installed or not runnable.</exception>
    public static async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (exit, output, _) = await RunAsync(["--version"], cancellationToken);
            return exit == 0 ? output.Trim() : throw new InvalidOperationException($"fio --version exited {exit}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("fio is not installed; the datapath scenario needs it (apt-get install fio)");
        }
    }

    public static async Task<FioResult> RunAsync(FioJob job, string file, long fileBytes, int runtimeSeconds, CancellationToken cancellationToken)
    {
        var (exit, output, errors) = await RunAsync(job.Arguments(file, fileBytes, runtimeSeconds), cancellationToken);
        if (exit != 0)
            throw new InvalidOperationException($"fio {job.Name} on {file} exited {exit}: {errors.Trim()}");
        return Parse(output, job.Direction);
    }

    /// <summary>Reads jobs[0].{read|write}: iops, bw (KiB/s) and clat_ns.percentile["99.000000"].</summary>
    public static FioResult Parse(string json, string direction)
    {
        // fio may print notes before the JSON document.
        var start = json.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
            throw new InvalidOperationException("fio printed no JSON report");
        using var document = JsonDocument.Parse(json[start..]);
        var section = document.RootElement.GetProperty("jobs")[0].GetProperty(direction);
        var p99 = section.GetProperty("clat_ns").TryGetProperty("percentile", out var percentiles)
            && percentiles.TryGetProperty("99.000000", out var value) ? value.GetDouble() / 1000 : double.NaN;
        return new FioResult(section.GetProperty("iops").GetDouble(), section.GetProperty("bw").GetDouble() / 1024, p99);
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("fio") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("fio did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }
}
