using Loam.Csi;
using Loam.Storage;
using Loam.Storage.Pools;

namespace Loam.Driver.Serve;

/// <summary>Everything `loam serve` was told, checked.</summary>
public sealed record DriverSettings
{
    public required UnixSocketEndpoint Endpoint { get; init; }
    public required string DriverName { get; init; }
    public required DriverMode Mode { get; init; }
    public required PoolSet Pools { get; init; }
    public required StorageOptions Storage { get; init; }
    public required IReadOnlyList<string> AllowedRoots { get; init; }
    /// <summary>HOST:PORT for /metrics, /healthz and /readyz over HTTP/1.1; null serves none.</summary>
    public string? HttpEndpoint { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
