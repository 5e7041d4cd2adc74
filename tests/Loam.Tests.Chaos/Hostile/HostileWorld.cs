using Loam.Tests.Chaos.Harness;

namespace Loam.Tests.Chaos.Hostile;

/// <summary>
/// The target of hostile requests: a driver with one real volume, attached and staged (so spoiled
/// paths and flags reach the mount code), a sentinel folder outside the pools and allowed roots, and
/// symlinks inside the allowed root that lead into the sentinel.
/// </summary>
public sealed class HostileWorld : IAsyncDisposable
{
    private int _fresh;

    private HostileWorld(ChaosBed bed, CoVolume volume)
    {
        Bed = bed;
        Volume = volume;
        Sentinel = bed.Root.Folder("sentinel");
        File.WriteAllText(Path.Combine(Sentinel, "a.txt"), "sentinel");
        File.WriteAllText(Path.Combine(bed.Root.Folder("sentinel", "sub"), "b.txt"), "sentinel");
        File.CreateSymbolicLink(Path.Combine(bed.MountRoot, "evil-link"), Sentinel);
        File.CreateSymbolicLink(Path.Combine(bed.MountRoot, "evil-file-link"), Path.Combine(Sentinel, "a.txt"));
        File.CreateSymbolicLink(Path.Combine(bed.MountRoot, "chain-2"), Sentinel);
        File.CreateSymbolicLink(Path.Combine(bed.MountRoot, "chain-1"), Path.Combine(bed.MountRoot, "chain-2"));
        var mnt = bed.MountRoot;
        HostilePaths =
        [
            "", "relative/path", Sentinel, Sentinel + "/new", Sentinel + "/sub", mnt + "/../sentinel/new", mnt + "/evil-link", mnt + "/evil-link/new",
            mnt + "/evil-link/sub/target", mnt + "/evil-file-link", mnt + "/chain-1", mnt + "/chain-1/new", mnt + "/staging/../../sentinel",
            mnt + "/x\0y", mnt + "/" + new string('a', 5000), mnt, mnt + "/", bed.PoolPath, Path.Combine(bed.PoolPath, "volumes", volume.Id + ".img"),
            Path.Combine(bed.PoolPath, "volumes"), bed.Root.Path, bed.SocketPath,
        ];
    }

    public ChaosBed Bed { get; }
    public CoVolume Volume { get; }
    public string VolumeId => Volume.Id;
    public string NodeId => ChaosBed.NodeId;
    public string StagingPath => Volume.StagingPath;

    /// <summary>Outside every pool and allowed root: nothing in it may change.</summary>
    public string Sentinel { get; }

    public IReadOnlyList<string> HostilePaths { get; }

    public static async Task<HostileWorld> StartAsync()
    {
        var bed = await ChaosBed.StartAsync("hostile");
        try
        {
            var volume = new CoVolume(bed, new CoClient(bed, new Random(7)), "pvc-hostile-target");
            await volume.CreateAsync(16L << 20, thick: false);
            await volume.AttachAsync();
            await volume.StageAsync();
            return new HostileWorld(bed, volume);
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>A staging folder the CO made, never used before.</summary>
    /// <summary>
    /// Attaches and stages the target volume again (both idempotent): a hostile ControllerUnpublish of
    /// it may rightly have unstaged it, since a volume staged here with no publish target is released
    /// for the controller (the rule Swarm needs), and NodePublish probes need it staged.
    /// </summary>
    public async Task EnsureStagedAsync()
    {
        await Volume.AttachAsync();
        await Volume.StageAsync();
    }

    public string FreshStaging() => Bed.Root.Folder("mnt", "fresh", $"staging-{Interlocked.Increment(ref _fresh)}");

    /// <summary>A target whose parent the CO made, never used before.</summary>
    public string FreshTarget() => Path.Combine(Bed.Root.Folder("mnt", "fresh", $"pod-{Interlocked.Increment(ref _fresh)}"), "target");

    public ValueTask DisposeAsync() => Bed.DisposeAsync();
}
