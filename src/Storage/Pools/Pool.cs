namespace Loam.Storage.Pools;

/// <summary>
/// A pool directory and where each thing lives in it. Every path is built from a
/// <see cref="ResourceId"/>, which is validated by construction.
/// <code>
/// PATH/volumes/vol-….img   the volume's sparse image        PATH/volumes/vol-….json  its record
/// PATH/snapshots/snap-….img  read-only reflink or copy      PATH/snapshots/snap-….json
/// PATH/groups/group-….json   group snapshot records         PATH/nodes/NODE.json      node registrations (shared pools)
/// PATH/*/ID.lock             the resource's cross-process lock file
/// </code>
/// A record is the commit point: an image without a record is a half-made artefact.
/// </summary>
public sealed class Pool
{
    public Pool(PoolOptions options) => Options = options;

    public PoolOptions Options { get; }
    public string Name => Options.Name;
    public string Root => Options.Path;
    public bool Shared => Options.Shared;

    public string VolumesDirectory => Path.Combine(Root, "volumes");
    public string SnapshotsDirectory => Path.Combine(Root, "snapshots");
    public string GroupsDirectory => Path.Combine(Root, "groups");
    public string NodesDirectory => Path.Combine(Root, "nodes");

    public IEnumerable<string> Directories => [VolumesDirectory, SnapshotsDirectory, GroupsDirectory, NodesDirectory];

    public string DirectoryFor(ResourceKind kind) => kind switch
    {
        ResourceKind.Volume => VolumesDirectory,
        ResourceKind.Snapshot => SnapshotsDirectory,
        ResourceKind.GroupSnapshot => GroupsDirectory,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string ImagePath(ResourceId id) => Path.Combine(DirectoryFor(id.Kind), id.Value + ".img");
    public string RecordPath(ResourceId id) => Path.Combine(DirectoryFor(id.Kind), id.Value + ".json");
    /// <summary>The resource's cross-process lock file (see <see cref="Locks.PoolLockFiles"/>).</summary>
    public string LockPath(ResourceId id) => Path.Combine(DirectoryFor(id.Kind), id.Value + ".lock");

    /// <summary>
    /// Creates the pool's folders; safe to call on every start. A shared pool's root must
    /// already exist: creating it would hide an unmounted shared filesystem behind a local folder.
    /// </summary>
    public void EnsureLayout()
    {
        if (Shared && !Directory.Exists(Root))
            throw new StorageException(StorageError.Unavailable, $"shared pool '{Name}': {Root} does not exist (is the shared filesystem mounted?)");
        foreach (var dir in Directories)
            Directory.CreateDirectory(dir);
    }

    public override string ToString() => $"{Name} ({Root})";
}
