using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Nodes;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// Real storage objects over pools in a temp folder, with statvfs faked: image files and
/// records are real (no root needed), capacity is whatever the test says.
/// </summary>
public sealed class StorageHarness : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loam-unit-" + Guid.NewGuid().ToString("N"));

    /// <param name="sharedPool">adds a second pool, "shared", reachable from every node.</param>
    public StorageHarness(string nodeId = "node-a", int maxVolumesPerNode = 0, bool sharedPool = false)
    {
        PoolOptions[] pools = sharedPool
            ? [new("default", Path.Combine(_root, "default")), new("shared", Path.Combine(_root, "shared"), Shared: true)]
            : [new("default", Path.Combine(_root, "default"))];
        PoolSet = new PoolSet(pools);
        foreach (var pool in PoolSet)
        {
            Directory.CreateDirectory(pool.Root);
            pool.EnsureLayout();
        }
        Options = new StorageOptions { NodeId = nodeId, MaxVolumesPerNode = maxVolumesPerNode };
        Store = new VolumeStore(PoolSet, Files);
        Snapshots = new SnapshotStore(PoolSet, Files);
        Capacity = new PoolCapacity(Space, Store, Snapshots);
        Nodes = new NodeDirectory(PoolSet, Files, Options, TimeProvider.System);
        LockFiles = new PoolLockFiles(PoolSet, new FileLocks(), LockObserver);
        Locks = new OperationLocks(LockFiles);
        Copier = new RecordingCopier(Freezer);
        VolumeFreezer = new VolumeFreezer(
            Kernel, Images, Kernel, Freezer, LockFiles, NullLogger<VolumeFreezer>.Instance);
        SnapshotMaker = new SnapshotMaker(Store, Snapshots, Copier, Images, VolumeFreezer, Capacity, Admission, TimeProvider.System);
        GroupMaker = new GroupSnapshotMaker(Store, Snapshots, SnapshotMaker, VolumeFreezer, TimeProvider.System);
        ContentSource = new SnapshotContentSource(Store, Snapshots, Copier, Images, VolumeFreezer, Locks);
        Provisioner = new VolumeProvisioner(Store, Images, Capacity, Admission, Options, TimeProvider.System, ContentSource, Kernel);
        Attachments = new NodeAttachments(Store, Nodes, Admission);
    }

    public string Root => _root;
    public FakeFileSystemSpace Space { get; } = new();
    public ImageFiles Images { get; } = new();
    /// <summary>Real durable writes with real folder fsyncs, batched as the driver batches them.</summary>
    public DurableFiles Files { get; } = new(new DirectorySyncs(new PosixDirectoryFsync()));
    public PoolSet PoolSet { get; }
    public StorageOptions Options { get; }
    public PoolCapacity Capacity { get; }
    public VolumeStore Store { get; }
    public NodeDirectory Nodes { get; }
    public VolumeProvisioner Provisioner { get; }
    public NodeAttachments Attachments { get; }
    public OperationLocks Locks { get; }
    /// <summary>The lock files of this harness's pools, with real flock: a second instance is another process.</summary>
    public PoolLockFiles LockFiles { get; }
    public RecordingLockObserver LockObserver { get; } = new();
    public AdmissionLocks Admission { get; } = new();
    public SnapshotStore Snapshots { get; }
    public FakeFreezer Freezer { get; } = new();
    public RecordingCopier Copier { get; }
    /// <summary>Loop devices and mounts, for volumes the test stages by hand.</summary>
    public Node.FakeKernel Kernel { get; } = new();
    public VolumeFreezer VolumeFreezer { get; }
    public SnapshotMaker SnapshotMaker { get; }
    public GroupSnapshotMaker GroupMaker { get; }
    public SnapshotContentSource ContentSource { get; }
    public Pool Pool => PoolSet.Default;

    public static CreateVolumeSpec Spec(string name, long required = 0, long limit = 0, Dictionary<string, string>? parameters = null, string? fsType = null, AccessMode mode = AccessMode.SingleNodeWriter) => new()
    {
        Name = name,
        Capacity = new CapacityRange(required, limit),
        Capabilities = [new VolumeCapabilitySpec(AccessType.Mount, mode, fsType)],
        Parameters = parameters ?? [],
    };

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
