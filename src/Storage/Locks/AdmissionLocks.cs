using System.Collections.Concurrent;

namespace Loam.Storage.Locks;

/// <summary>
/// One admission at a time per pool (capacity) and per node (attach limit). The holder checks
/// the limit and commits the record that uses it before it lets go, so no two calls can both
/// take the last place, however many arrive at once. Unlike <see cref="OperationLocks"/> a
/// second caller waits its turn: calls on different volumes are no conflict the CO must retry.
/// Different pools and nodes never wait for each other. Take it after the volume's operation
/// lock and hold no other admission lock with it.
/// </summary>
public sealed class AdmissionLocks
{
    private readonly ConcurrentDictionary<string, Lock> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lock> _nodes = new(StringComparer.Ordinal);

    /// <summary>Held across a pool's capacity check, the image it admits and the record commit.</summary>
    public Lock.Scope ForPool(string poolName) => _pools.GetOrAdd(poolName, _ => new Lock()).EnterScope();

    /// <summary>Held across a node's attach count and the record commit; take it only for a node that exists.</summary>
    public Lock.Scope ForNode(string nodeId) => _nodes.GetOrAdd(nodeId, _ => new Lock()).EnterScope();
}
