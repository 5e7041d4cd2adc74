using System.Diagnostics;
using System.Text;
using Csi.V1;
using Grpc.Core;
using Loam.Client;
using Mono.Unix.Native;

namespace Loam.Tests.Support;

/// <summary>
/// The real `loam serve` as a child process on a temp socket, with a connected CSI client.
/// Its output is kept for assertions (e.g. that no secret was logged) and for failure reports.
/// </summary>
public sealed class DriverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DriverProcess(Process process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
        Csi = CsiConnection.Open(socketPath);
    }

    public string SocketPath { get; }
    public CsiConnection Csi { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end by itself (e.g. at an armed crash point).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts `loam serve --endpoint unix://SOCKET ARGS...` and waits until Probe answers.</summary>
    /// <param name="environment">extra environment variables, e.g. LOAM_CRASH_POINT for crash tests.</param>
    public static Task<DriverProcess> StartAsync(string socketPath, IEnumerable<string> arguments, TimeSpan? readyTimeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (file, prefix) = RepoPaths.Driver();
        return StartAsync(file, [.. prefix, "serve", "--endpoint", "unix://" + socketPath, .. arguments], socketPath, readyTimeout, environment);
    }

    /// <summary>
    /// Starts `loam serve` as a container runtime would: in a fresh mount namespace (see
    /// <see cref="ContainerMounts"/>) where the pool is bind-mounted from another host path.
    /// The process is the driver itself (unshare and sh exec it), so a kill is the driver's.
    /// </summary>
    public static Task<DriverProcess> StartInNamespaceAsync(
        ContainerMounts mounts, string socketPath, IEnumerable<string> arguments,
        TimeSpan? readyTimeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (file, prefix) = RepoPaths.Driver();
        return StartAsync("unshare",
            ["--mount", "--propagation", "unchanged", "--", "sh", "-c", ContainerMounts.Script, "loam-container",
                mounts.PrivateDirectory, mounts.HostPool, mounts.ContainerPool, mounts.TestRoot,
                file, .. prefix, "serve", "--endpoint", "unix://" + socketPath, .. arguments],
            socketPath, readyTimeout, environment);
    }

    private static async Task<DriverProcess> StartAsync(
        string file, IEnumerable<string> arguments, string socketPath, TimeSpan? readyTimeout, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var driver = new DriverProcess(process, socketPath);
        process.OutputDataReceived += (_, e) => driver.Append(e.Data);
        process.ErrorDataReceived += (_, e) => driver.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await driver.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(30));
        return driver;
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
            _ = Syscall.kill(_process.Id, Signum.SIGTERM);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: a crash at this very instant.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _ = Syscall.kill(_process.Id, Signum.SIGKILL);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Csi.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"loam serve exited with {_process.ExitCode} before it was ready:\n{Output}");
            if (File.Exists(SocketPath))
            {
                try
                {
                    var probe = await Csi.Identity.ProbeAsync(new ProbeRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                    if (probe.Ready ?? true)
                        return;
                }
                catch (RpcException)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"loam serve was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
