using Loam.Csi;
using Loam.Storage;
using Loam.Storage.Locks;
using Loam.Storage.Nodes;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots;
using Loam.Storage.Snapshots.Metadata;
using Loam.Storage.Volumes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loam.Driver.Serve;

/// <summary>
/// The composition root's half that wires Storage: the model, its real OS seams and the CSI call
/// interceptor. It lives in the driver, the one project that may see every layer, so that Csi,
/// Controller and Node take what they need by constructor and never reach for each other's wiring.
/// </summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Storage and its real OS seams; tests replace single seams after this call.</summary>
    public static IServiceCollection AddLoamStorage(this IServiceCollection services, PoolSet pools, StorageOptions options)
    {
        services.AddSingleton(pools);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFileSystemSpace, PosixFileSystemSpace>();
        services.TryAddSingleton<IImageFiles, ImageFiles>();
        services.TryAddSingleton<IDirectoryFsync, PosixDirectoryFsync>();
        services.AddSingleton<DirectorySyncs>();
        services.TryAddSingleton<IDurableFiles, DurableFiles>();
        services.TryAddSingleton<ICommandRunner, CommandRunner>();
        services.TryAddSingleton<IMountTable, ProcMountTable>();
        services.TryAddSingleton<ILoopDevices, LoopDevices>();
        services.TryAddSingleton<IMounter, Mounter>();
        services.TryAddSingleton<IFileSystemTools, FileSystemTools>();
        services.TryAddSingleton<IHostFiles, HostFiles>();
        services.TryAddSingleton<IImageCopier, ImageCopier>();
        services.TryAddSingleton<IFileSystemFreezer, FileSystemFreezer>();
        services.TryAddSingleton<IFileLocks, FileLocks>();
        services.TryAddSingleton<ICallObserver, NullCallObserver>();
        services.TryAddSingleton<IPoolLockObserver, LoggingPoolLockObserver>();
        services.AddSingleton<PoolLockFiles>();
        services.AddSingleton<OperationLocks>();
        services.AddSingleton<AdmissionLocks>();
        services.AddSingleton<VolumeStore>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<PoolCapacity>();
        services.AddSingleton<PoolHealth>();
        services.AddSingleton<PoolSweeper>();
        services.AddSingleton<PoolOwnership>();
        services.AddSingleton<VolumeFreezer>();
        services.AddSingleton<SnapshotMaker>();
        services.AddSingleton<GroupSnapshotMaker>();
        services.AddSingleton<IVolumeContentSource, SnapshotContentSource>();
        services.AddSingleton<VolumeProvisioner>();
        services.AddSingleton<NodeAttachments>();
        // Resolved only by the controller, which the host gives an INodeVolumeUse (mode all or controller).
        services.AddSingleton<LocalLeftovers>();
        services.AddSingleton<VolumeHealth>();
        services.AddSingleton<NodeDirectory>();
        services.TryAddSingleton<IFileExtents, FileExtents>();
        services.TryAddSingleton(new SnapshotMetadataOptions());
        services.AddSingleton<SnapshotMetadataReader>();
        services.AddSingleton<CsiCallInterceptor>();
        return services;
    }
}
