using Loam.Client;

namespace Loam.Tests.Conformance;

/// <summary>
/// One `loam serve --mode all` for the whole sanity collection, as csi-sanity runs against
/// one driver. As root its pool is a real filesystem (LOAM_SANITY_POOL_FS: ext4 by default,
/// or xfs) and node calls mount for real; otherwise the pool is a plain folder and only the
/// specs that need no mounts can pass.
/// </summary>
public sealed class SanityDriver : IAsyncLifetime
{
    public const string NodeId = "sanity-node";
    public const int MaxVolumesPerNode = 3;

    /// <summary>A pool every node reaches (its volumes may attach anywhere).</summary>
    public const string SharedPool = "shared";

    /// <summary>A pool whose reserve exceeds any filesystem: every create in it is RESOURCE_EXHAUSTED.</summary>
    public const string FullPool = "full";

    private DriverProcess? _driver;

    public TestRoot Root { get; } = new("sanity");

    /// <summary>Makes a node known to the controller, as a node plugin elsewhere does by registering in the shared pool.</summary>
    public void RegisterNode(string nodeId) =>
        File.WriteAllText(Path.Combine(Root.Path, "shared", "nodes", nodeId + ".json"),
            $$"""{"nodeId":"{{nodeId}}","maxVolumes":0,"registeredAt":"2026-01-01T00:00:00Z"}""");
    public string PoolFsType { get; } = Environment.GetEnvironmentVariable("LOAM_SANITY_POOL_FS") is { Length: > 0 } fs ? fs : "ext4";
    public string PoolPath { get; private set; } = "";
    public CsiConnection Csi => (_driver ?? throw new InvalidOperationException("driver not started")).Csi;
    public DriverProcess Process => _driver ?? throw new InvalidOperationException("driver not started");

    /// <summary>Where the specs make staging and target paths; the driver allows this root.</summary>
    public string MountRoot => Root.Folder("mnt");

    public async Task InitializeAsync()
    {
        PoolPath = Privileges.IsRoot ? PoolFilesystem.Create(Root, PoolFsType, 4L << 30).MountPoint + "/pool" : Root.Folder("pool");
        _driver = await DriverProcess.StartAsync(Root.Combine("csi.sock"),
        [
            "--node-id", NodeId,
            // The specs keep several default-sized (1 GiB) thin volumes at once: overcommit as an operator would.
            "--pool", $"default={PoolPath},overcommit=8",
            "--pool", $"{SharedPool}={Root.Folder("shared")},shared",
            "--pool", $"{FullPool}={Root.Folder("full")},reserve=1000000Ti",
            "--allowed-root", Root.Path,
            "--max-volumes-per-node", MaxVolumesPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_driver is not null)
            await _driver.DisposeAsync();
        Root.Dispose();
    }
}
