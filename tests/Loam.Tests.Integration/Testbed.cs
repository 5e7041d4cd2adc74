using System.Globalization;
using Csi.V1;
using Loam.Client;

namespace Loam.Tests.Integration;

/// <summary>
/// One test's world: a <see cref="TestRoot"/>, a pool on a real filesystem inside it, and
/// `loam serve --mode all` allowed to mount below <c>ROOT/mnt</c>. Paths are laid out as a
/// CO would: it makes staging directories and the parents of targets, the driver the rest.
/// Disposing stops the driver and the root unmounts and detaches everything, pass or fail.
/// </summary>
public sealed class Testbed : IAsyncDisposable
{
    public const string NodeId = "itest-node";

    private ContainerMounts? _container;
    private string? _driverPoolPath;

    private Testbed(TestRoot root, PoolFilesystem pool, string poolPath)
    {
        Root = root;
        Pool = pool;
        PoolPath = poolPath;
    }

    public TestRoot Root { get; }
    public PoolFilesystem Pool { get; }
    /// <summary>The pool as this test (the host) reaches it.</summary>
    public string PoolPath { get; }
    /// <summary>The pool as the driver names it: another path when it runs in a container's namespace.</summary>
    public string DriverPoolPath => _container?.ContainerPool ?? _driverPoolPath ?? PoolPath;
    public DriverProcess Driver { get; private set; } = null!;
    public CsiConnection Csi => Driver.Csi;
    public string MountRoot => Root.Combine("mnt");

    /// <summary>
    /// The pool named through a symlinked folder (ROOT/var/lib/loam where ROOT/var/lib is a link
    /// to the pool filesystem), as on hosts where /var/lib is a symlink.
    /// </summary>
    public static async Task<Testbed> StartSymlinkedAsync(string name, params string[] extraArguments)
    {
        var root = new TestRoot(name);
        try
        {
            var pool = PoolFilesystem.Create(root, "ext4", 1L << 30);
            root.Folder("var");
            File.CreateSymbolicLink(root.Combine("var", "lib"), pool.MountPoint);
            var bed = new Testbed(root, pool, Path.Combine(pool.MountPoint, "loam")) { _driverPoolPath = root.Combine("var", "lib", "loam") };
            root.Folder("mnt");
            await bed.StartDriverAsync(extraArguments);
            return bed;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The driver as a container runtime runs it: each start in a fresh mount namespace with the
    /// pool bind-mounted at another path than the host's, and the mount root shared with the host
    /// (<see cref="ContainerMounts"/>). A restart is a new container.
    /// </summary>
    public static async Task<Testbed> StartInContainerAsync(string name)
    {
        var root = new TestRoot(name);
        try
        {
            var pool = PoolFilesystem.Create(root, "ext4", 1L << 30);
            var bed = new Testbed(root, pool, Path.Combine(pool.MountPoint, "pool"));
            bed._container = ContainerMounts.Create(root, bed.PoolPath, bed.MountRoot);
            await bed.StartDriverAsync([]);
            return bed;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    public static async Task<Testbed> StartAsync(string poolFs = "ext4", string name = "node", long poolSize = 4L << 30, params string[] extraArguments)
    {
        var root = new TestRoot(name);
        try
        {
            var pool = PoolFilesystem.Create(root, poolFs, poolSize);
            var bed = new Testbed(root, pool, Path.Combine(pool.MountPoint, "pool"));
            root.Folder("mnt");
            await bed.StartDriverAsync(extraArguments);
            return bed;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Stops the driver (SIGTERM, or SIGKILL as a crash) and starts a new one on the same pool.</summary>
    public async Task RestartDriverAsync(bool crash = false, params string[] extraArguments)
    {
        if (crash)
            await Driver.KillAsync();
        await Driver.DisposeAsync();
        await StartDriverAsync(extraArguments);
    }

    public string StagingPath(string name) => Root.Folder("mnt", "staging", name);

    /// <summary>A target whose parent exists and which itself does not: the driver creates it.</summary>
    public string TargetPath(string name, string pod = "pod") => Path.Combine(Root.Folder("mnt", "pods", pod, name), "target");

    public static VolumeCapability Mount(string fsType = "", VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, params string[] flags)
    {
        var capability = new VolumeCapability { AccessMode = new() { Mode = mode }, Mount = new() { FsType = fsType } };
        capability.Mount.MountFlags.Add(flags);
        return capability;
    }

    public static VolumeCapability Block(VolumeCapability.Types.AccessMode.Types.Mode mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter) =>
        new() { AccessMode = new() { Mode = mode }, Block = new() };

    public async Task<Volume> CreateVolumeAsync(string name, long size, VolumeCapability capability)
    {
        var request = new CreateVolumeRequest { Name = name, CapacityRange = new() { RequiredBytes = size } };
        request.VolumeCapabilities.Add(capability);
        return (await Csi.Controller.CreateVolumeAsync(request)).Volume;
    }

    public async Task StageAsync(string volumeId, string staging, VolumeCapability capability) =>
        await Csi.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest { VolumeId = volumeId, StagingTargetPath = staging, VolumeCapability = capability });

    public async Task PublishAsync(string volumeId, string staging, string target, VolumeCapability capability, bool readOnly = false) =>
        await Csi.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
        {
            VolumeId = volumeId, StagingTargetPath = staging, TargetPath = target, VolumeCapability = capability, Readonly = readOnly,
        });

    public async Task UnpublishAsync(string volumeId, string target) =>
        await Csi.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = target });

    public async Task UnstageAsync(string volumeId, string staging) =>
        await Csi.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = volumeId, StagingTargetPath = staging });

    /// <summary>Loop devices the kernel has attached to images in this test's pool.</summary>
    public IReadOnlyList<string> VolumeLoopDevices() => MountCleanup.LoopDevicesBackedUnder(PoolPath + "/");

    /// <summary>Mounts at or below the mount root, but for the container's own shared bind of it.</summary>
    public IReadOnlyList<string> MountsBelowMountRoot() =>
        [.. MountCleanup.MountsUnder(MountRoot + "/").Where(m => _container is null || m != MountRoot)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Driver is not null)
                await Driver.DisposeAsync();
        }
        finally
        {
            Root.Dispose();
        }
    }

    private async Task StartDriverAsync(string[] extraArguments)
    {
        string[] arguments =
        [
            "--node-id", NodeId,
            "--pool", $"default={DriverPoolPath}",
            "--allowed-root", MountRoot,
            "--max-volumes-per-node", 16.ToString(CultureInfo.InvariantCulture),
            "--log-level", "debug",
            .. extraArguments,
        ];
        Driver = _container is null
            ? await DriverProcess.StartAsync(Root.Combine("csi.sock"), arguments)
            : await DriverProcess.StartInNamespaceAsync(_container, Root.Combine("csi.sock"), arguments);
    }
}
