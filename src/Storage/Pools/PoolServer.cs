namespace Loam.Storage.Pools;

/// <summary>Who serves a pool, as written in its lock file for the next driver that finds it held.</summary>
public sealed record PoolServer(int ProcessId, string NodeId, string Mode, string DriverName, string Endpoint)
{
    public override string ToString() =>
        $"pid {ProcessId} on node {NodeId} (mode {Mode}, driver {DriverName}, endpoint {Endpoint})";
}
