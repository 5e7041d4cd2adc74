using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loam.Node;

public static class NodeServiceCollectionExtensions
{
    public static IServiceCollection AddLoamNode(this IServiceCollection services, NodeOptions options) =>
        services.AddSingleton(options);

    public static IEndpointRouteBuilder MapLoamNode(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<NodeService>();
        return endpoints;
    }
}
