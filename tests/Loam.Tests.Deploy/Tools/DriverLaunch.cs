using System.Diagnostics;
using System.Text;
using Mono.Unix.Native;

namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// The real `loam serve` started with exactly the arguments and environment a deploy file
/// gives it (paths and ports swapped for test ones), to prove the file and the binary agree.
/// Ready when its HTTP endpoint answers /healthz.
/// </summary>
public sealed class DriverLaunch : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DriverLaunch(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static async Task<DriverLaunch> StartAsync(IEnumerable<string> serveArguments, IReadOnlyDictionary<string, string> environment, int httpPort)
    {
        var (file, prefix) = RepoPaths.Driver();
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(serveArguments))
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "CSI_ENDPOINT", "KUBE_NODE_NAME", "LOAM_POOLS", "LOAM_MODE" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var launch = new DriverLaunch(process, httpPort);
        process.OutputDataReceived += (_, e) => launch.Append(e.Data);
        process.ErrorDataReceived += (_, e) => launch.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await launch.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        return launch;
    }

    public async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}{path}"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Syscall.kill(_process.Id, Signum.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"loam serve exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/healthz"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"loam serve did not answer /healthz within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
