namespace Loam.Storage;

/// <summary>The kinds of things Loam names; each has its own ID prefix and pool folder.</summary>
public enum ResourceKind
{
    Volume,
    Snapshot,
    GroupSnapshot,
}
