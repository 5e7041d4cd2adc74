using Loam.Storage.Volumes;

namespace Loam.Storage.Nodes;

/// <summary>
/// A controller-only process: the node's kernel is another process's (often in another mount
/// namespace or on another host), so it reports nothing about it, and nothing is ever undone on
/// its behalf.
/// </summary>
public sealed class UnservedNode : INodeVolumeUse
{
    public NodeVolumeUse? Read(StoredVolume volume) => null;

    public void Unstage(StoredVolume volume, NodeVolumeUse use) =>
        throw new InvalidOperationException("a controller-only process cannot unstage on a node");
}
