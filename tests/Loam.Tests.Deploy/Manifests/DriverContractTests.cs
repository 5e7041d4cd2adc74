using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>
/// Every deploy file starts the real `loam serve` with exactly its arguments and environment
/// (only the socket, the pool folders, the HTTP port and the node ID are swapped for test
/// ones): the driver must come up in the mode the file means, with every pool it names, which
/// proves the files use flags and variables `loam serve` understands.
/// </summary>
public sealed class DriverContractTests
{
    public const string NodeUnderTest = "node-under-test";

    /// <summary>What one deploy file tells `loam serve`.</summary>
    public sealed record Launch(string Source, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment, string Mode)
    {
        public override string ToString() => Source;
    }

    public static TheoryData<string> Sources() =>
    [
        "kubernetes local DaemonSet", "kubernetes shared DaemonSet", "kubernetes shared Deployment",
        "swarm plugin", "mesos isolator plugin", "mesos resource provider plugin",
        "nomad monolith", "nomad controller", "nomad node",
    ];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_deploy_file_starts_loam_in_its_mode_with_its_pools(string source)
    {
        var launch = Describe(source);
        using var root = new TestRoot("contract");
        var port = FreePort.Next();
        var (arguments, environment) = Substitute(launch, root, port);

        await using var driver = await DriverLaunch.StartAsync(arguments, environment, port);
        var metrics = new PrometheusText(await driver.GetAsync("/metrics"));

        Assert.Equal(1, metrics.Value("loam_driver_info", ("driver", DeployFiles.DriverName), ("mode", launch.Mode), ("node", NodeUnderTest)));
        var pools = PoolSpec.ParseAll(launch.Environment["LOAM_POOLS"] ?? "");
        Assert.NotEmpty(pools);
        Assert.All(pools, p => Assert.Equal(1, metrics.Value("loam_pool_up", ("pool", p.Name))));
        Assert.Equal("ready\n", await driver.GetAsync("/readyz"));
    }

    private static Launch Describe(string source) => source switch
    {
        "kubernetes local DaemonSet" => FromKubernetes("local", "DaemonSet", "all"),
        "kubernetes shared DaemonSet" => FromKubernetes("shared", "DaemonSet", "node"),
        "kubernetes shared Deployment" => FromKubernetes("shared", "Deployment", "controller"),
        "swarm plugin" => FromSwarm(),
        "mesos isolator plugin" => FromMesos(Tree.ParseJson(DeployFiles.Read("mesos", "csi-plugin.json"))),
        "mesos resource provider plugin" => FromMesos(Tree.Map(Tree.ParseJson(DeployFiles.Read("mesos", "resource-provider.json")), "storage.plugin")),
        "nomad monolith" => FromNomad("loam-monolith.nomad.hcl", "all"),
        "nomad controller" => FromNomad("loam-controller.nomad.hcl", "controller"),
        "nomad node" => FromNomad("loam-node.nomad.hcl", "node"),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static Launch FromKubernetes(string overlay, string kind, string mode)
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay(overlay));
        var (_, loam) = set.Containers.Single(c => c.Workload.Kind == kind && PodContainer.Name(c.Container) == "loam");
        var environment = Tree.Maps(loam, "env").ToDictionary(e => Tree.Str(e, "name")!, e => Tree.Str(e, "value"));
        return new Launch($"{overlay} {kind}", PodContainer.Args(loam), environment, mode);
    }

    private static Launch FromSwarm()
    {
        var config = Tree.ParseJson(DeployFiles.Read("swarm", "config.json"));
        var entrypoint = Tree.Strings(config, "entrypoint").ToList();
        Assert.Equal("/app/loam", entrypoint[0]);
        var environment = Tree.Maps(config, "env").ToDictionary(e => Tree.Str(e, "name")!, e => Tree.Str(e, "value"));
        return new Launch("swarm", [.. entrypoint.Skip(1), .. Tree.Strings(config, "args.value")], environment, environment["LOAM_MODE"]!);
    }

    private static Launch FromMesos(Dictionary<string, object?> plugin)
    {
        var command = Tree.Map(Tree.Maps(plugin, "containers").Single(), "command");
        var environment = Tree.Maps(command, "environment.variables").ToDictionary(v => Tree.Str(v, "name")!, v => Tree.Str(v, "value"));
        // Mesos gives a managed plugin its socket in CSI_ENDPOINT; argv[0] is the program name.
        environment["CSI_ENDPOINT"] = "unix:///set-by-mesos/csi.sock";
        return new Launch("mesos", [.. Tree.Strings(command, "arguments").Skip(1)], environment, environment["LOAM_MODE"]!);
    }

    private static Launch FromNomad(string file, string mode)
    {
        var job = Tree.ParseJson(NodeScripts.Run("hcl2json.cjs", "", Path.Combine(DeployFiles.Deploy, "nomad", file)));
        var body = Tree.Map(job, "job").Values.Select(v => Tree.Maps(v).Single()).Single();
        var group = Tree.Map(body, "group").Values.Select(v => Tree.Maps(v).Single()).Single();
        var task = Tree.Map(group, "task").Values.Select(v => Tree.Maps(v).Single()).Single();
        var environment = Tree.Maps(task, "env").Single().ToDictionary(e => e.Key, e => (string?)e.Value);
        return new Launch(file, [.. Tree.Strings(Tree.Maps(task, "config").Single(), "args")], environment, mode);
    }

    /// <summary>The same command line with test paths: the socket and pools under the test root, a free port, a known node ID.</summary>
    private static (List<string> Arguments, Dictionary<string, string> Environment) Substitute(Launch launch, TestRoot root, int port)
    {
        var socket = "unix://" + root.Combine("csi.sock");
        var arguments = new List<string>();
        foreach (var argument in launch.Arguments)
        {
            arguments.Add(argument switch
            {
                _ when argument.StartsWith("--http-endpoint=", StringComparison.Ordinal) => $"--http-endpoint=127.0.0.1:{port}",
                _ when argument.StartsWith("--endpoint=", StringComparison.Ordinal) => "--endpoint=" + socket,
                _ when argument.StartsWith("--node-id=", StringComparison.Ordinal) => "--node-id=" + NodeUnderTest,
                _ => argument,
            });
        }
        if (!arguments.Any(a => a.StartsWith("--http-endpoint=", StringComparison.Ordinal)))
            arguments.Add($"--http-endpoint=127.0.0.1:{port}");

        var environment = launch.Environment.ToDictionary(e => e.Key, e => e.Value ?? "");
        if (environment.ContainsKey("CSI_ENDPOINT"))
            environment["CSI_ENDPOINT"] = socket;
        if (!arguments.Any(a => a.StartsWith("--node-id=", StringComparison.Ordinal)))
            environment["KUBE_NODE_NAME"] = NodeUnderTest;
        var pools = PoolSpec.ParseAll(environment["LOAM_POOLS"]);
        foreach (var pool in pools.Where(p => p.Shared))
            Directory.CreateDirectory(root.Combine(pool.Path.TrimStart('/')));
        environment["LOAM_POOLS"] = string.Join(';', pools.Select(p => (p with { Path = root.Combine(p.Path.TrimStart('/')) }).ToString()));
        return (arguments, environment);
    }
}
