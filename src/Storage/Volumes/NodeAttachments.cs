using Loam.Storage.Locks;
using Loam.Storage.Nodes;
using Loam.Storage.Records;

namespace Loam.Storage.Volumes;

/// <summary>
/// ControllerPublish and ControllerUnpublish: the attach record in the volume's metadata.
/// Callers hold the volume's lock. The record enforces the access mode (one node for
/// SINGLE_NODE_*), read-only publishing, and the node's attach limit, which is counted in the
/// volume index and decided under the node's admission lock held until the record is committed.
/// Records only: the node's loop devices are Loam.Node.LoopAttacher's.
/// </summary>
public sealed class NodeAttachments(VolumeStore store, NodeDirectory nodes, AdmissionLocks admission)
{
    public const string PoolContextKey = "loam.csi.dev/pool";
    public const string ReadOnlyContextKey = "loam.csi.dev/readonly";

    /// <returns>the publish context NodeStage receives.</returns>
    public IReadOnlyDictionary<string, string> Publish(string volumeId, string nodeId, VolumeCapabilitySpec capability, bool readOnly)
    {
        var volume = store.Get(volumeId);
        var node = nodes.Find(nodeId) ?? throw StorageException.NotFound($"node {nodeId} is not known to this controller");
        if (AccessPolicy.WhyUnsupported(volume.Pool, capability) is { } reason)
            throw StorageException.InvalidArgument(reason);
        if (volume.Record.Node is { } home && home != nodeId)
            throw StorageException.FailedPrecondition($"volume {volumeId} lives in node-local pool '{volume.Pool.Name}' on node {home}; it cannot attach to node {nodeId}");
        if (capability.IsReadOnlyMode && !readOnly)
            throw StorageException.InvalidArgument($"access mode {capability.Mode} needs readonly=true");

        var attachments = volume.Record.Attachments;
        var wanted = new Attachment(nodeId, readOnly, capability.Mode);
        var mine = attachments.FirstOrDefault(a => a.NodeId == nodeId);
        if (mine is not null)
        {
            return mine == wanted
                ? Context(volume, readOnly)
                : throw StorageException.AlreadyExists($"volume {volumeId} is already published to node {nodeId} as {Describe(mine)}, not {Describe(wanted)}");
        }
        var others = attachments.Where(a => a.NodeId != nodeId).ToList();
        if (others.Count > 0 && (capability.IsSingleNode || others.Any(a => a.Mode.IsSingleNode())))
            throw StorageException.FailedPrecondition($"volume {volumeId} is attached to node {others[0].NodeId} and its access mode allows one node only");
        if (others.Count > 0 && !readOnly && capability.Mode == AccessMode.MultiNodeSingleWriter && others.Any(a => !a.ReadOnly))
            throw StorageException.FailedPrecondition($"volume {volumeId} already has a writer on node {others.First(a => !a.ReadOnly).NodeId}");
        using var _ = admission.ForNode(nodeId);
        if (node.MaxVolumes > 0)
        {
            var attached = AttachedTo(nodeId);
            if (attached >= node.MaxVolumes)
                throw StorageException.ResourceExhausted(
                    $"node {nodeId} already has {attached} volumes attached, its limit of {node.MaxVolumes}");
        }
        store.Save(volume.Pool, volume.Record with { Attachments = [.. attachments, wanted] });
        return Context(volume, readOnly);
    }

    /// <summary>Detaches from one node, or from every node when <paramref name="nodeId"/> is empty. Unknown volume or node: already detached.</summary>
    public void Unpublish(string volumeId, string nodeId)
    {
        if (store.Find(volumeId) is not { } volume)
            return;
        var remaining = volume.Record.Attachments.Where(a => nodeId.Length > 0 && a.NodeId != nodeId).ToList();
        if (remaining.Count != volume.Record.Attachments.Count)
            store.Save(volume.Pool, volume.Record with { Attachments = remaining });
    }

    /// <summary>Volumes with an attachment to the node, from the index.</summary>
    public int AttachedTo(string nodeId) =>
        store.Index.Entries().Count(v => v.Record.Attachments.Any(a => a.NodeId == nodeId));

    private static Dictionary<string, string> Context(StoredVolume volume, bool readOnly) => new()
    {
        [PoolContextKey] = volume.Pool.Name,
        [ReadOnlyContextKey] = readOnly ? "true" : "false",
    };

    private static string Describe(Attachment a) => $"{a.Mode}{(a.ReadOnly ? " read-only" : "")}";
}
