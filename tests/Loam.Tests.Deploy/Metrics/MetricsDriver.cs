using Csi.V1;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Metrics;

/// <summary>A real `loam serve --http-endpoint 127.0.0.1:PORT` on pools in a test root, and its HTTP endpoint.</summary>
public sealed class MetricsDriver : IAsyncDisposable
{
    public const string NodeId = "metrics-node";

    private readonly HttpClient _http;

    private MetricsDriver(DriverProcess process, int port)
    {
        Process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public DriverProcess Process { get; }
    public int Port { get; }

    public static async Task<MetricsDriver> StartAsync(TestRoot root, params string[] poolSpecs)
    {
        var port = FreePort.Next();
        var arguments = new List<string> { "--node-id", NodeId, "--http-endpoint", $"127.0.0.1:{port}", "--allowed-root", root.Path };
        foreach (var spec in poolSpecs)
            arguments.AddRange(["--pool", spec]);
        return new MetricsDriver(await DriverProcess.StartAsync(root.Combine("csi.sock"), arguments), port);
    }

    public async Task<PrometheusText> ScrapeAsync() => new(await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<Volume> CreateVolumeAsync(string name, long bytes, params (string Key, string Value)[] parameters)
    {
        var request = new CreateVolumeRequest
        {
            Name = name,
            CapacityRange = new CapacityRange { RequiredBytes = bytes },
            VolumeCapabilities = { MountCapability() },
        };
        foreach (var (key, value) in parameters)
            request.Parameters[key] = value;
        return (await Process.Csi.Controller.CreateVolumeAsync(request)).Volume;
    }

    public static VolumeCapability MountCapability() => new()
    {
        Mount = new VolumeCapability.Types.MountVolume(),
        AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
    };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}
