using Loam.Storage;
using Loam.Storage.Volumes;

namespace Loam.Node;

/// <summary>
/// Maps the CO's volume ID to a volume. IDs Loam issued parse as such; an inline ephemeral
/// volume's ID is the CO's own (kubelet's "csi-…"), so it is mapped to a Loam ID derived
/// from it under a name prefix no CreateVolume name can produce a record for, and no
/// path is ever built from the CO's string.
/// </summary>
public sealed class VolumeLocator(VolumeStore store)
{
    /// <summary>Names of ephemeral volumes; their records are marked ephemeral, which a CreateVolume record never is.</summary>
    public const string EphemeralNamePrefix = "csi-ephemeral:";

    public static ResourceId EphemeralId(string coVolumeId) => VolumeProvisioner.IdFor(EphemeralName(coVolumeId));

    public static string EphemeralName(string coVolumeId) => EphemeralNamePrefix + coVolumeId;

    /// <summary>The key of the per-volume operation lock (shared with the controller in --mode all).</summary>
    public static string LockKey(string volumeId) =>
        ResourceId.TryParse(volumeId, ResourceKind.Volume, out var id) ? id.Value : EphemeralId(volumeId).Value;

    /// <summary>The volume, or for one that does not exist (any more), where its image would be.</summary>
    public NodeVolume Find(string volumeId)
    {
        var candidates = new List<ResourceId>(2);
        if (ResourceId.TryParse(volumeId, ResourceKind.Volume, out var issued))
            candidates.Add(issued);
        var ephemeral = EphemeralId(volumeId);
        candidates.Add(ephemeral);
        foreach (var id in candidates)
        {
            if (store.Find(id) is { } stored && (id != ephemeral || stored.Record.Ephemeral))
                return new NodeVolume(id, stored, [stored.ImagePath]);
        }
        var everywhere = store.Pools.SelectMany(pool => candidates.Select(pool.ImagePath));
        return new NodeVolume(candidates[0], null, [.. everywhere]);
    }

    /// <exception cref="StorageException">NotFound when no such volume exists.</exception>
    public NodeVolume Get(string volumeId) =>
        Find(volumeId) is { Exists: true } volume ? volume : throw StorageException.NotFound($"volume {volumeId} does not exist");
}
