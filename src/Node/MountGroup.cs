using System.Globalization;
using Loam.Storage;

namespace Loam.Node;

/// <summary>
/// VOLUME_MOUNT_GROUP: ext4, xfs and btrfs take no group mount option, so the group (the
/// pod's fsGroup) is given the volume root: group-owned, group-writable and set-group-ID,
/// so that what the workload writes stays readable and writable by that group.
/// </summary>
public static class MountGroup
{
    /// <returns>the group ID, or null when the CO named none.</returns>
    public static uint? Parse(string? group)
    {
        if (string.IsNullOrEmpty(group))
            return null;
        return uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) && gid != uint.MaxValue
            ? gid
            : throw StorageException.InvalidArgument($"volume_mount_group '{group}' is not a numeric group ID");
    }
}
