namespace Loam.Storage.Os;

/// <summary>The kernel's mount table, read fresh on every call: it is the truth, never a cache.</summary>
public interface IMountTable
{
    IReadOnlyList<MountInfo> Read();
}
