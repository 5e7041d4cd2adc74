using System.Globalization;

namespace Loam.Tests.Tools;

/// <summary>
/// A real `loam serve` on a pool inside a <see cref="TestRoot"/> (a real ext4 or xfs filesystem when the
/// test mounts, else a plain folder), allowed to mount below <see cref="MountRoot"/>, and the two
/// tools pointed at it. Disposing stops the driver; the root unmounts and detaches the rest.
/// </summary>
public sealed class ToolWorld : IAsyncDisposable
{
    public const string NodeId = "tools-node";

    private ToolWorld(TestRoot root) => Root = root;

    public TestRoot Root { get; }
    public DriverProcess Driver { get; private set; } = null!;
    public string Endpoint => "unix://" + Driver.SocketPath;
    public string MountRoot => Root.Combine("mnt");
    /// <summary>The pool folder the driver serves (on a real filesystem when the world was started with one).</summary>
    public string PoolPath { get; private set; } = "";
    public string StateFile => Root.Combine("cli-state", "mounts.json");

    public static async Task<ToolWorld> StartAsync(bool realPool = false, long poolSize = 2L << 30, string poolFsType = "ext4")
    {
        var world = new ToolWorld(new TestRoot("tools"));
        try
        {
            var pool = realPool ? Path.Combine(PoolFilesystem.Create(world.Root, poolFsType, poolSize).MountPoint, "pool") : world.Root.Folder("pool");
            world.PoolPath = pool;
            world.Root.Folder("mnt");
            world.Driver = await DriverProcess.StartAsync(world.Root.Combine("csi.sock"),
            [
                "--node-id", NodeId,
                "--pool", $"default={pool}",
                "--allowed-root", world.MountRoot,
                "--max-volumes-per-node", 64.ToString(CultureInfo.InvariantCulture),
            ]);
            return world;
        }
        catch
        {
            world.Root.Dispose();
            throw;
        }
    }

    /// <summary>Runs `loam ARGS` with CSI_ENDPOINT and the CLI state file pointing into this world.</summary>
    public Task<ToolRun> LoamAsync(params string[] arguments)
    {
        var (file, prefix) = RepoPaths.Driver();
        return ToolRun.StartAsync(file, prefix.Concat(arguments), new Dictionary<string, string>
        {
            ["CSI_ENDPOINT"] = Endpoint,
            ["LOAM_CLI_STATE"] = StateFile,
        });
    }

    /// <summary>Runs `loam-bench SCENARIO --endpoint THIS ARGS`.</summary>
    public Task<ToolRun> BenchAsync(string scenario, params string[] arguments) =>
        ToolRun.StartAsync("dotnet", [BenchDll(), scenario, "--endpoint", Endpoint, .. arguments], new Dictionary<string, string>());

    public static string BenchDll()
    {
        var dll = Path.Combine(RepoPaths.Root, "bench", "Loam.Bench", "bin", RepoPaths.Configuration, "net10.0", "loam-bench.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"bench build not found at {dll}; build the solution first");
    }

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
}
