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

    /// <summary>Read-only as this mount was made (per mount, not the superblock).</summary>
    public static bool IsReadOnly(MountInfo mount) => mount.MountOptions.Contains("ro");

    /// <summary>
    /// Whether the filesystem went read-only underneath a read-write mount, as errors=remount-ro
    /// does; since Linux 6.6 ext4 shows "emergency_ro" instead of turning the superblock read-only.
    /// </summary>
    public static bool WentReadOnly(MountInfo mount) =>
        !IsReadOnly(mount) && (mount.SuperOptions.Contains("ro") || mount.SuperOptions.Contains("emergency_ro"));
}
