namespace Loam.Storage.Pools;

/// <summary>What a driver process does with a pool; a process in mode all holds both.</summary>
public enum PoolRole
{
    Controller,
    Node,
}
