using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loam.Controller;

public static class ControllerServiceCollectionExtensions
{
    public static IServiceCollection AddLoamController(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapLoamController(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ControllerService>();
        endpoints.MapGrpcService<GroupControllerService>();
        return endpoints;
    }
}
