using Loam.Storage.Volumes;

namespace Loam.Storage.Nodes;

/// <summary>
/// The controller's view of this node's kernel, for volumes whose home is this node. Implemented
/// by the node side when one process serves both (mode all); a controller-only process cannot see
/// the node's kernel and says so. Callers hold the volume's lock, which keeps the node's own calls
/// on the volume out meanwhile.
/// </summary>
public interface INodeVolumeUse
{
    /// <returns>what this node's kernel holds of the volume, or null when this process does not serve the node.</returns>
    NodeVolumeUse? Read(StoredVolume volume);

    /// <summary>
    /// Unmounts the staging mount <paramref name="use"/> found and detaches the volume's loop devices,
    /// as NodeUnstageVolume does; refuses (FailedPrecondition) while any publish target is left.
    /// </summary>
    void Unstage(StoredVolume volume, NodeVolumeUse use);
}
