using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Records;

namespace Loam.Storage.Nodes;

/// <summary>
/// The nodes a controller can attach to: itself, and every node plugin that registered in
/// a shared pool. A node-local controller knows no other node, by design.
/// </summary>
public sealed class NodeDirectory(PoolSet pools, IDurableFiles files, StorageOptions options, TimeProvider time)
{
    public NodeRegistration Self => new(options.NodeId, options.MaxVolumesPerNode, time.GetUtcNow());

    public NodeRegistration? Find(string nodeId)
    {
        if (nodeId == options.NodeId)
            return Self;
        if (!NodeIds.IsValid(nodeId))
            return null;
        foreach (var pool in pools.Where(p => p.Shared))
        {
            var path = RegistrationPath(pool, nodeId);
            if (RecordFile.Read(path, StorageJson.Default.NodeRegistration) is { } registration)
                return registration;
        }
        return null;
    }

    /// <summary>Announces this node in every shared pool (node plugins call this at start).</summary>
    public void RegisterSelf()
    {
        if (!NodeIds.IsValid(options.NodeId))
            throw StorageException.InvalidArgument(
                $"node ID '{options.NodeId}' cannot be registered: use letters, digits, '.', '_' and '-'");
        foreach (var pool in pools.Where(p => p.Shared))
        {
            Directory.CreateDirectory(pool.NodesDirectory);
            RecordFile.Write(files, RegistrationPath(pool, options.NodeId), Self, StorageJson.Default.NodeRegistration);
        }
    }

    private static string RegistrationPath(Pool pool, string nodeId) =>
        Path.Combine(pool.NodesDirectory, nodeId + ".json");
}
