using Loam.Storage;
using Loam.Storage.Os;
using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>Checks shared by stage and publish.</summary>
public static class NodeChecks
{
    /// <exception cref="StorageException">FailedPrecondition when this node cannot serve the volume as asked.</exception>
    public static void EnsureUsable(StoredVolume volume, VolumeCapabilitySpec capability, string nodeId)
    {
        if (volume.Record.Node is { } home && home != nodeId)
            throw StorageException.FailedPrecondition($"volume {volume.Id} lives in pool '{volume.Pool.Name}' on node {home}, not on this node ({nodeId})");
        if (AccessPolicy.WhyUnsupported(volume.Pool, capability) is { } reason)
            throw StorageException.FailedPrecondition(reason);
    }

    /// <summary>Whether several targets on this node may share the volume (spec: second NodePublish table).</summary>
    public static bool AllowsSeveralTargets(AccessMode mode) =>
        mode is AccessMode.SingleNodeMultiWriter or AccessMode.MultiNodeReaderOnly or AccessMode.MultiNodeSingleWriter or AccessMode.MultiNodeMultiWriter;

    public static bool IsReadOnly(MountInfo mount) => mount.MountOptions.Contains("ro");
}
