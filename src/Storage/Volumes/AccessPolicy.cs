using Loam.Storage.Pools;

namespace Loam.Storage.Volumes;

/// <summary>
/// Which capabilities a pool can honour. A node-local pool serves one node; a shared
/// pool serves any node, but a filesystem like ext4 must never be mounted read-write by
/// two nodes, so multi-node writers are offered for raw block only.
/// </summary>
public static class AccessPolicy
{
    /// <returns>null when supported, else why not.</returns>
    public static string? WhyUnsupported(Pool pool, VolumeCapabilitySpec capability)
    {
        if (capability.Mode == AccessMode.Unknown || !Enum.IsDefined(capability.Mode))
            return $"access mode {capability.Mode} is not supported";
        if (capability.AccessType == AccessType.Mount && !string.IsNullOrEmpty(capability.FsType) && !FileSystemTypes.IsSupported(capability.FsType))
            return $"fs_type '{capability.FsType}' is not supported (supported: {string.Join(", ", FileSystemTypes.Supported)})";
        if (capability.IsSingleNode)
            return null;
        if (!pool.Shared)
            return $"pool '{pool.Name}' is node-local: access mode {capability.Mode} needs a shared pool";
        if (capability.AccessType == AccessType.Mount && capability.Mode is AccessMode.MultiNodeSingleWriter or AccessMode.MultiNodeMultiWriter)
            return $"access mode {capability.Mode} is offered for block volumes only: {capability.FsType ?? "a"} filesystem written from several nodes would corrupt";
        return null;
    }

    public static void EnsureSupported(Pool pool, IEnumerable<VolumeCapabilitySpec> capabilities)
    {
        foreach (var capability in capabilities)
        {
            if (WhyUnsupported(pool, capability) is { } reason)
                throw StorageException.InvalidArgument(reason);
        }
    }
}
