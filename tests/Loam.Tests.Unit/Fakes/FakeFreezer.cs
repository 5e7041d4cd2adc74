using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Tests.Unit.Fakes;

/// <summary>FIFREEZE/FITHAW as a set of frozen mount points, with a journal of every call.</summary>
public sealed class FakeFreezer : IFileSystemFreezer
{
    private readonly HashSet<string> _frozen = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];
    public IReadOnlySet<string> Frozen => _frozen;
    public string? RefuseFreezeOf { get; set; }

    public void Freeze(string mountPoint)
    {
        Calls.Add("freeze " + mountPoint);
        if (mountPoint == RefuseFreezeOf)
            throw new StorageException(StorageError.Unavailable, $"cannot freeze the filesystem at {mountPoint}: FIFREEZE EBUSY");
        _frozen.Add(mountPoint);
    }

    public bool Thaw(string mountPoint)
    {
        Calls.Add("thaw " + mountPoint);
        return _frozen.Remove(mountPoint);
    }
}
