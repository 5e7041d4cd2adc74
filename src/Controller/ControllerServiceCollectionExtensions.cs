using Loam.Storage.Volumes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loam.Controller;

public static class ControllerServiceCollectionExtensions
{
    /// <summary>The controller's logic; the host registers the INodeVolumeUse it may consult.</summary>
    /// <remarks>gRPC makes a service per call: what must outlive a call (the list cache) is a singleton.</remarks>
    public static IServiceCollection AddLoamController(this IServiceCollection services) =>
        services.AddSingleton<LocalLeftovers>().AddSingleton<ListedVolumes>();

    public static IEndpointRouteBuilder MapLoamController(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ControllerService>();
        endpoints.MapGrpcService<GroupControllerService>();
        return endpoints;
    }
}
