using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Loam.Controller;

public static class ControllerServiceCollectionExtensions
{
    public static IEndpointRouteBuilder MapLoamController(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ControllerService>();
        endpoints.MapGrpcService<GroupControllerService>();
        return endpoints;
    }
}
