namespace Loam.Client;

/// <summary>
/// What a CSI endpoint says about itself: GetPluginInfo, Probe, and the capabilities of every
/// service it answers, under the spec's names. A service the endpoint does not serve has an empty list.
/// </summary>
public sealed record PluginReport(
    string Name,
    string VendorVersion,
    bool Ready,
    IReadOnlyDictionary<string, string> Manifest,
    IReadOnlyList<string> Plugin,
    IReadOnlyList<string> Controller,
    IReadOnlyList<string> Node,
    IReadOnlyList<string> GroupController)
{
    public bool HasController(string capability) => Controller.Contains(capability);
    public bool HasNode(string capability) => Node.Contains(capability);
}
