using Loam.Csi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loam.Driver.Metrics;

public static class MetricsServiceCollectionExtensions
{
    public const string Path = "/metrics";

    /// <summary>
    /// Prometheus metrics: every CSI call is counted and timed (this replaces the null call
    /// observer whether called before or after <c>AddLoamStorage</c>), pool figures are read at scrape time.
    /// </summary>
    public static IServiceCollection AddLoamMetrics(this IServiceCollection services, DriverIdentity identity)
    {
        services.AddSingleton(new DriverMetrics(identity));
        services.AddSingleton<CsiCallMetrics>();
        services.Replace(ServiceDescriptor.Singleton<ICallObserver>(sp => sp.GetRequiredService<CsiCallMetrics>()));
        services.AddSingleton<PoolMetrics>();
        return services;
    }

    /// <summary>GET /metrics in the Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapLoamMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Resolving PoolMetrics registers its scrape-time callback on the registry.
        _ = endpoints.ServiceProvider.GetRequiredService<PoolMetrics>();
        var metrics = endpoints.ServiceProvider.GetRequiredService<DriverMetrics>();
        return endpoints.MapGet(Path, async context =>
        {
            context.Response.ContentType = DriverMetrics.ContentType;
            await metrics.ExportAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
