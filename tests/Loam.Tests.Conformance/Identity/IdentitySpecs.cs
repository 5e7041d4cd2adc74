using Csi.V1;

namespace Loam.Tests.Conformance.Identity;

/// <summary>csi-sanity "Identity Service".</summary>
public sealed class IdentitySpecs(SanityDriver driver) : SanityTest(driver)
{
    [Fact]
    public async Task GetPluginInfo_returns_the_driver_name_and_version()
    {
        var info = await Csi.Identity.GetPluginInfoAsync(new GetPluginInfoRequest());

        Assert.Equal("loam.csi.dev", info.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", info.VendorVersion);
    }

    [Fact]
    public async Task GetPluginCapabilities_offers_the_controller_service_topology_and_online_expansion()
    {
        var capabilities = await Csi.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());

        var services = capabilities.Capabilities.Where(c => c.Service is not null).Select(c => c.Service.Type).ToList();
        Assert.Contains(PluginCapability.Types.Service.Types.Type.ControllerService, services);
        Assert.Contains(PluginCapability.Types.Service.Types.Type.VolumeAccessibilityConstraints, services);
        Assert.Contains(capabilities.Capabilities, c => c.VolumeExpansion?.Type == PluginCapability.Types.VolumeExpansion.Types.Type.Online);
    }

    [Fact]
    public async Task Probe_reports_ready_when_every_pool_is_usable()
    {
        var probe = await Csi.Identity.ProbeAsync(new ProbeRequest());

        Assert.True(probe.Ready);
    }
}
