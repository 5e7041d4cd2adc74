using System.Diagnostics;
using Csi.V1;
using Grpc.Core;
using Loam.Client;

namespace Loam.Bench;

/// <summary>
/// <c>startup</c>: runs a driver command line R times; each time measures from exec to the
/// first Probe that answers ready on its endpoint, lets it idle, reads its resident set from
/// /proc/PID/status, and stops it with SIGTERM. Reports p50 (and min, max) of both.
/// </summary>
public static class StartupScenario
{
    public static async Task<Dictionary<string, double>> RunAsync(string commandLine, string endpoint, BenchOptions options, CancellationToken cancellationToken)
    {
        var startup = new Latencies();
        var rss = new List<double>();
        // One Probe before any driver runs: it must fail (else another process answers there and
        // every figure would be its), and it compiles this process's client path so run 1 is not slower.
        if (await TryProbeAsync(endpoint, cancellationToken))
            throw new InvalidOperationException($"something already answers Probe on {endpoint}: stop it first");
        for (var run = 0; run < options.Repeat; run++)
        {
            using var process = Start(commandLine);
            try
            {
                var started = Stopwatch.GetTimestamp();
                await WaitForProbeAsync(process, endpoint, cancellationToken);
                startup.Add(Stopwatch.GetElapsedTime(started));
                await Task.Delay(options.Idle, cancellationToken);
                rss.Add(ProcStatus.ResidentMiB(process.Id));
            }
            finally
            {
                await StopAsync(process);
            }
        }
        rss.Sort();
        return new Dictionary<string, double>
        {
            ["runs"] = options.Repeat,
            ["startup_p50_ms"] = Math.Round(startup.Percentile(50), 1),
            ["startup_min_ms"] = Math.Round(startup.Percentile(0), 1),
            ["startup_max_ms"] = Math.Round(startup.Percentile(100), 1),
            ["idle_rss_p50_mib"] = Math.Round(rss[(rss.Count - 1) / 2], 2),
            ["idle_rss_max_mib"] = Math.Round(rss[^1], 2),
        };
    }

    /// <summary>Splits on spaces (no quoting): the driver path and its flags.</summary>
    private static Process Start(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words.Skip(1))
            start.ArgumentList.Add(word);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {words[0]}");
        // Drain its logs so a chatty driver never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForProbeAsync(Process process, string endpoint, CancellationToken cancellationToken)
    {
        using var connection = CsiConnection.Open(endpoint);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the driver exited with {process.ExitCode} before its first Probe");
            try
            {
                var probe = await connection.Identity.ProbeAsync(new ProbeRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (probe.Ready ?? true)
                    return;
            }
            catch (RpcException)
            {
                // Not listening yet.
            }
            await Task.Delay(1, cancellationToken);
        }
        throw new TimeoutException($"no good Probe on {endpoint} within 30 s");
    }

    private static async Task<bool> TryProbeAsync(string endpoint, CancellationToken cancellationToken)
    {
        using var connection = CsiConnection.Open(endpoint);
        try
        {
            await connection.Identity.ProbeAsync(new ProbeRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
            return;
        Signals.Terminate(process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
