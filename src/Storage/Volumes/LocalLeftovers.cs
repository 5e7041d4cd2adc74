using Loam.Storage.Nodes;

namespace Loam.Storage.Volumes;

/// <summary>
/// What a CO that skips lifecycle calls leaves on this node, and when the controller may clear it.
/// Docker Swarm never sends NodeUnstageVolume, and after a dockerd restart it skips
/// ControllerPublish and ControllerUnpublish, so a volume stays staged and its attachment stays
/// recorded, and DeleteVolume would refuse for good. The rule, for a volume in a node-local pool
/// whose home is this node, where this process also serves the node (mode all):
/// <list type="bullet">
/// <item>staged here with no publish target left (no other mount of its staging mount or of its
/// loop devices, no bind of a device node) it may be unstaged when ControllerUnpublishVolume for
/// this node or DeleteVolume asks for it;</item>
/// <item>an attachment to this node with nothing staged or published here is stale and DeleteVolume
/// releases it;</item>
/// <item>a volume with any publish target left is never touched: DeleteVolume refuses naming it.</item>
/// </list>
/// It is safe because no publish target means no workload can reach the data (a node-local volume
/// can be used on this node only), and the caller holds the volume's lock, which keeps this node's
/// own calls on the volume out until it is done. A controller-only process sees no node and does nothing.
/// </summary>
public sealed class LocalLeftovers(VolumeStore store, INodeVolumeUse node, StorageOptions options)
{
    /// <summary>ControllerUnpublishVolume: unstages a volume left staged and unused on this node.</summary>
    /// <param name="nodeId">the node being detached; empty means every node, this one included.</param>
    public void BeforeUnpublish(string volumeId, string nodeId)
    {
        if (nodeId.Length > 0 && nodeId != options.NodeId)
            return;
        if (HomedHere(volumeId) is { } volume && node.Read(volume) is { Staged: true, Published: false } use)
            node.Unstage(volume, use);
    }

    /// <summary>
    /// DeleteVolume: unstages a volume left staged and unused on this node and releases its
    /// attachment to this node, so that the delete can go on.
    /// </summary>
    /// <exception cref="StorageException">FailedPrecondition naming the targets while the volume is published here.</exception>
    public void BeforeDelete(ResourceId id)
    {
        if (HomedHere(id.Value) is not { } volume || node.Read(volume) is not { } use)
            return;
        if (use.Published)
            throw StorageException.FailedPrecondition(
                $"volume {id} is still in use on node {options.NodeId} at {string.Join(", ", use.Targets)}; NodeUnpublishVolume it first");
        if (use.Staged)
            node.Unstage(volume, use);
        var attachments = volume.Record.Attachments;
        var others = attachments.Where(a => a.NodeId != options.NodeId).ToList();
        if (others.Count != attachments.Count)
            store.Save(volume.Pool, volume.Record with { Attachments = others });
    }

    private StoredVolume? HomedHere(string volumeId) =>
        store.Find(volumeId) is { Record.Node: { } home } volume && home == options.NodeId ? volume : null;
}
