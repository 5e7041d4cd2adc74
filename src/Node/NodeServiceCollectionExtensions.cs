using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loam.Node;

public static class NodeServiceCollectionExtensions
{
    /// <summary>The node's logic; the OS seams it uses come with AddLoamStorage.</summary>
    public static IServiceCollection AddLoamNode(this IServiceCollection services, NodeOptions options) =>
        services.AddSingleton(options)
            .AddSingleton<PathPolicy>()
            .AddSingleton<VolumeLocator>()
            .AddSingleton<KernelVolumeViewReader>()
            .AddSingleton<MountPoints>()
            .AddSingleton<LoopAttacher>()
            .AddSingleton<VolumeFormatter>()
            .AddSingleton<VolumeMounting>()
            .AddSingleton<VolumeStager>()
            .AddSingleton<VolumePublisher>()
            .AddSingleton<EphemeralVolumes>()
            .AddSingleton<NodeExpander>()
            .AddSingleton<VolumeStatsReader>();

    public static IEndpointRouteBuilder MapLoamNode(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<NodeService>();
        return endpoints;
    }
}
