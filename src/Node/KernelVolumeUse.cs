using Loam.Storage.Nodes;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// The node's answer to the controller in the same process (mode all): what the kernel holds of a
/// volume, read as every node call reads it, and its unstage, done by the stager as NodeUnstageVolume
/// does it. Publish targets are never removed here: while one is left the stager refuses.
/// </summary>
public sealed class KernelVolumeUse(
    VolumeLocator locator,
    KernelVolumeViewReader reader,
    VolumeStager stager,
    PathPolicy paths,
    ILogger<KernelVolumeUse> logger) : INodeVolumeUse
{
    public NodeVolumeUse? Read(StoredVolume volume)
    {
        var state = reader.Read(locator.Find(volume.Id.Value));
        // Loam stages a filesystem at one path and publishes binds of it, which show as more
        // mounts of the same device: with exactly one such path the volume is staged and unpublished.
        var mounted = state.Devices.SelectMany(state.FileSystemMountsOf).Select(m => m.MountPoint)
            .Distinct(StringComparer.Ordinal).ToList();
        var staging = mounted.Count == 1 && paths.IsAllowed(mounted[0]) ? mounted[0] : null;
        var targets = mounted.Where(p => p != staging)
            .Concat(state.BlockBinds.Select(b => b.Mount.MountPoint))
            .Distinct(StringComparer.Ordinal).ToList();
        return new NodeVolumeUse([.. state.Devices.Select(d => d.DevicePath)], staging, targets);
    }

    public void Unstage(StoredVolume volume, NodeVolumeUse use)
    {
        NodeLog.UnstagingForController(logger, volume.Id.Value, use.StagingPath ?? "(no staging mount)",
            string.Join(", ", use.Devices));
        stager.Unstage(locator.Find(volume.Id.Value), use.StagingPath);
    }
}
