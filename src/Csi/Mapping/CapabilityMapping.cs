using Csi.V1;
using Google.Protobuf.Collections;
using Loam.Storage;
using Loam.Storage.Volumes;
using AccessMode = Loam.Storage.Volumes.AccessMode;
using AccessType = Loam.Storage.Volumes.AccessType;

namespace Loam.Csi.Mapping;

/// <summary>CSI volume capabilities to and from their storage form.</summary>
public static class CapabilityMapping
{
    public static VolumeCapabilitySpec ToSpec(VolumeCapability? capability, string field)
    {
        Require.Present(capability, field);
        if (capability!.AccessMode is null || capability.AccessMode.Mode == VolumeCapability.Types.AccessMode.Types.Mode.Unknown)
            throw StorageException.InvalidArgument($"{field}.access_mode is required");
        var type = capability.AccessTypeCase switch
        {
            VolumeCapability.AccessTypeOneofCase.Block => AccessType.Block,
            VolumeCapability.AccessTypeOneofCase.Mount => AccessType.Mount,
            _ => throw StorageException.InvalidArgument($"{field} must set an access type, block or mount"),
        };
        var mount = capability.Mount;
        return new VolumeCapabilitySpec(
            type,
            (AccessMode)(int)capability.AccessMode.Mode,
            string.IsNullOrEmpty(mount?.FsType) ? null : mount.FsType,
            mount is null ? [] : [.. mount.MountFlags],
            string.IsNullOrEmpty(mount?.VolumeMountGroup) ? null : mount.VolumeMountGroup);
    }

    public static IReadOnlyList<VolumeCapabilitySpec> ToSpecs(RepeatedField<VolumeCapability> capabilities, string field)
    {
        if (capabilities.Count == 0)
            throw StorageException.InvalidArgument($"{field} is required: name at least one capability");
        return [.. capabilities.Select((c, i) => ToSpec(c, $"{field}[{i}]"))];
    }
}
