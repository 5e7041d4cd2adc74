using Csi.V1;
using Grpc.Core;
using Loam.Storage.Pools;

namespace Loam.Csi;

/// <summary>CSI Identity: who this plugin is, what it offers, and whether it is ready.</summary>
public sealed class IdentityService(PluginDescription plugin, PoolHealth health) : Identity.IdentityBase
{
    public override Task<GetPluginInfoResponse> GetPluginInfo(GetPluginInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new GetPluginInfoResponse { Name = plugin.Name, VendorVersion = plugin.Version });

    public override Task<GetPluginCapabilitiesResponse> GetPluginCapabilities(GetPluginCapabilitiesRequest request, ServerCallContext context)
    {
        var response = new GetPluginCapabilitiesResponse();
        response.Capabilities.Add(plugin.Capabilities);
        return Task.FromResult(response);
    }

    /// <summary>Ready only when every pool is usable; an unusable pool is named in the response trailer-free way CSI allows: ready=false.</summary>
    public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context) =>
        Task.FromResult(new ProbeResponse { Ready = health.Problems().Count == 0 });
}
