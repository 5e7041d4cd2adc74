using Csi.V1;

namespace Loam.Csi;

/// <summary>What Identity tells the CO: the driver's name, its version, and the capabilities of the services this process serves.</summary>
public sealed record PluginDescription(string Name, string Version, IReadOnlyList<PluginCapability> Capabilities)
{
    public const string DefaultName = "loam.csi.dev";

    public static PluginCapability Service(PluginCapability.Types.Service.Types.Type type) =>
        new() { Service = new PluginCapability.Types.Service { Type = type } };

    public static PluginCapability Expansion(PluginCapability.Types.VolumeExpansion.Types.Type type) =>
        new() { VolumeExpansion = new PluginCapability.Types.VolumeExpansion { Type = type } };
}
