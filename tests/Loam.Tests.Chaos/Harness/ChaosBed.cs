using System.Globalization;
using System.Text;
using Csi.V1;
using Loam.Client;

namespace Loam.Tests.Chaos.Harness;

/// <summary>
/// One chaos world: a <see cref="TestRoot"/>, a pool on a real filesystem made from an image file,
/// and `loam serve --mode all` that can be killed and restarted at will. The CO's connection
/// stays open across restarts (the socket path does not change), as kubelet's does.
/// Disposing stops the driver; the root then unmounts and detaches everything, pass or fail.
/// </summary>
public sealed class ChaosBed : IAsyncDisposable
{
    public const string NodeId = "chaos-node";

    private readonly string[] _driverArguments;
    private readonly StringBuilder _earlierOutput = new();
    private DriverProcess? _driver;
    private ContainerMounts? _container;
    private int _generation;

    private ChaosBed(TestRoot root, PoolFilesystem pool, string[] driverArguments)
    {
        Root = root;
        Pool = pool;
        PoolPath = Path.Combine(pool.MountPoint, "pool");
        MountRoot = root.Folder("mnt");
        _driverArguments = driverArguments;
        Connection = CsiConnection.Open(SocketPath);
    }

    public TestRoot Root { get; }
    public PoolFilesystem Pool { get; }
    public string PoolPath { get; }
    public string MountRoot { get; }
    public string SocketPath => Root.Combine("csi.sock");
    public CsiConnection Connection { get; }

    /// <summary>Goes up by one at every kill, so a caller can tell a torn call from a driver's answer.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public DriverProcess Driver => _driver ?? throw new InvalidOperationException("driver not running");
    public bool DriverAlive => _driver is { HasExited: false };

    /// <summary>Everything every driver process of this bed wrote to stdout and stderr.</summary>
    public string AllOutput
    {
        get
        {
            lock (_earlierOutput)
                return _earlierOutput + (_driver?.Output ?? "");
        }
    }

    /// <param name="poolOptions">appended to the pool flag, e.g. ",overcommit=4".</param>
    /// <param name="maxVolumesPerNode">the driver's attach limit for this node.</param>
    public static Task<ChaosBed> StartAsync(string name, long poolSize = 2L << 30, string poolOptions = "", int maxVolumesPerNode = 64,
        params string[] extraArguments) =>
        StartAsync(name, poolSize, poolOptions, maxVolumesPerNode, containers: false, extraArguments);

    /// <summary>
    /// Each driver start is a new container: a fresh mount namespace with the pool bind-mounted
    /// at another path than the host's (<see cref="ContainerMounts"/>), so every restart leaves
    /// the kernel naming the images the old driver attached by a path the new one never used.
    /// </summary>
    public static Task<ChaosBed> StartInContainersAsync(string name) =>
        StartAsync(name, 2L << 30, "", 64, containers: true, []);

    private static async Task<ChaosBed> StartAsync(string name, long poolSize, string poolOptions, int maxVolumesPerNode, bool containers,
        string[] extraArguments)
    {
        var root = new TestRoot(name);
        try
        {
            var pool = PoolFilesystem.Create(root, "ext4", poolSize);
            // A shared pool must exist before the driver starts (it will not make a missing shared mount).
            Directory.CreateDirectory(Path.Combine(pool.MountPoint, "pool"));
            var container = containers ? ContainerMounts.Create(root, Path.Combine(pool.MountPoint, "pool"), root.Combine("mnt")) : null;
            var bed = new ChaosBed(root, pool,
            [
                "--node-id", NodeId,
                "--pool", $"default={container?.ContainerPool ?? Path.Combine(pool.MountPoint, "pool")}{poolOptions}",
                "--allowed-root", root.Combine("mnt"),
                "--max-volumes-per-node", maxVolumesPerNode.ToString(CultureInfo.InvariantCulture),
                .. extraArguments,
            ]) { _container = container };
            await bed.StartDriverAsync();
            return bed;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Starts the driver; with a crash point armed it kills itself when it reaches that point.</summary>
    /// <returns>false when an armed driver died at its crash point before it was ready.</returns>
    public async Task<bool> StartDriverAsync(string? crashPoint = null)
    {
        if (DriverAlive)
            throw new InvalidOperationException("driver already running");
        try
        {
            var environment = crashPoint is null ? null : new Dictionary<string, string> { ["LOAM_CRASH_POINT"] = crashPoint };
            _driver = _container is null
                ? await DriverProcess.StartAsync(SocketPath, _driverArguments, TimeSpan.FromSeconds(60), environment)
                : await DriverProcess.StartInNamespaceAsync(_container, SocketPath, _driverArguments, TimeSpan.FromSeconds(60), environment);
            await File.WriteAllTextAsync(Root.Combine("driver.pid"), _driver.Pid.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        catch (InvalidOperationException) when (crashPoint is not null)
        {
            return false;
        }
    }

    /// <summary>kill -9 of the driver (if it still runs), and forgets the process.</summary>
    public async Task KillDriverAsync()
    {
        Interlocked.Increment(ref _generation);
        if (_driver is null)
            return;
        await _driver.KillAsync();
        await ForgetDriverAsync();
    }

    /// <summary>Waits until the driver exits by itself (at an armed crash point) or the time is up.</summary>
    public async Task<bool> WaitForCrashAsync(TimeSpan timeout)
    {
        if (_driver is null)
            return true;
        try
        {
            await _driver.WaitForExitAsync(timeout);
            Interlocked.Increment(ref _generation);
            await ForgetDriverAsync();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StopDriverAsync()
    {
        if (_driver is null)
            return;
        await _driver.StopAsync();
        await ForgetDriverAsync();
    }

    public string StagingPath(string name) => Root.Folder("mnt", "staging", name);

    /// <summary>A target whose parent exists and which itself does not: the driver creates it.</summary>
    public string TargetPath(string name) => Path.Combine(Root.Folder("mnt", "pods", name), "target");

    /// <summary>Loop devices the kernel has attached to images in this bed's pool.</summary>
    public IReadOnlyList<string> VolumeLoopDevices() => MountCleanup.LoopDevicesBackedUnder(PoolPath + "/");

    /// <summary>Mounts at or below the mount root, but for the container's own shared bind of it.</summary>
    public IReadOnlyList<string> MountsBelowMountRoot() =>
        [.. MountCleanup.MountsUnder(MountRoot + "/").Where(m => _container is null || m != MountRoot)];

    /// <summary>What a node reboot leaves: no volume mounts and no loop devices; directories and files stay.</summary>
    public void SimulateReboot()
    {
        ThawAll();
        foreach (var mount in MountsBelowMountRoot())
            Shell.Run("umount", mount);
        foreach (var device in VolumeLoopDevices())
            Shell.Run("losetup", "-d", device);
    }

    public static VolumeCapability MountCapability(string fsType = "ext4", VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter) =>
        new() { AccessMode = new() { Mode = mode }, Mount = new() { FsType = fsType } };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_driver is not null)
                await _driver.DisposeAsync();
            Connection.Dispose();
        }
        finally
        {
            ThawAll();
            Root.Dispose();
        }
    }

    private void ThawAll() => MountCleanup.ThawUnder(Root.Path + "/");

    private async Task ForgetDriverAsync()
    {
        var driver = _driver!;
        _driver = null;
        lock (_earlierOutput)
            _earlierOutput.Append(driver.Output);
        await driver.DisposeAsync();
    }
}
