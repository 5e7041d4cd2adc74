using System.Text.RegularExpressions;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>The Swarm, Mesos and Nomad files parse and name the same driver, socket and pools.</summary>
public sealed partial class OrchestratorFileTests
{
    private static Dictionary<string, object?> Json(params string[] parts) => Tree.ParseJson(DeployFiles.Read(parts));

    private static Dictionary<string, object?> Hcl(string file) =>
        Tree.ParseJson(NodeScripts.Run("hcl2json.cjs", "", Path.Combine(DeployFiles.Deploy, "nomad", file)));

    [Fact]
    public void The_swarm_plugin_serves_both_csi_interfaces_on_the_socket_loam_listens_on()
    {
        var config = Json("swarm", "config.json");
        var env = Tree.Maps(config, "env").ToDictionary(e => Tree.Str(e, "name")!, e => e);
        var socket = Tree.Str(config, "interface.socket");

        Assert.Equal(["docker.csicontroller/1.0", "docker.csinode/1.0"], Tree.Strings(config, "interface.types").Order());
        Assert.Equal($"/run/docker/plugins/{socket}", Tree.Str(env["CSI_ENDPOINT"], "value"));
        Assert.Equal(["/app/loam", "serve"], Tree.Strings(config, "entrypoint").Take(2));
        Assert.Contains($"--driver-name={DeployFiles.DriverName}", Tree.Strings(config, "entrypoint"));
        Assert.All(env.Keys, name => Assert.Contains(name, KubernetesDeployment.DriverEnvironment));
    }

    [Fact]
    public void The_swarm_plugin_may_mount_and_attach_where_swarm_publishes()
    {
        var config = Json("swarm", "config.json");
        var allowedRoot = Tree.Strings(config, "entrypoint").Single(a => a.StartsWith("--allowed-root=", StringComparison.Ordinal))["--allowed-root=".Length..];
        var mounts = Tree.Maps(config, "mounts").ToList();

        // Swarm stages in /data/staged and publishes in /data/published (its propagated mount).
        Assert.Equal("/data/published", Tree.Str(config, "propagatedMount"));
        Assert.StartsWith(allowedRoot + "/", "/data/published", StringComparison.Ordinal);
        Assert.StartsWith(allowedRoot + "/", "/data/staged", StringComparison.Ordinal);
        Assert.Contains("CAP_SYS_ADMIN", Tree.Strings(config, "linux.capabilities"));
        Assert.Equal("true", Tree.Str(config, "linux.allowAllDevices"));
        Assert.Contains(mounts, m => Tree.Str(m, "source") == "/dev" && Tree.Str(m, "destination") == "/dev");
        var pools = Tree.Maps(config, "env").Single(e => Tree.Str(e, "name") == "LOAM_POOLS");
        Assert.Contains("value", Tree.Strings(pools, "settable"));
        var poolsMount = mounts.Single(m => Tree.Str(m, "name") == "pools");
        Assert.Contains("source", Tree.Strings(poolsMount, "settable"));
        Assert.All(PoolSpec.ParseAll(Tree.Str(pools, "value")!), pool =>
            Assert.StartsWith(Tree.Str(poolsMount, "destination") + "/", pool.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void The_swarm_plugin_script_is_valid_bash_and_prepares_the_mount_points_of_the_config()
    {
        var script = DeployFiles.Read("swarm", "create-plugin.sh");
        var check = ToolRun.Run("bash", ["-n", Path.Combine(DeployFiles.Deploy, "swarm", "create-plugin.sh")]);
        var config = Json("swarm", "config.json");

        Assert.True(check.ExitCode == 0, check.Error);
        Assert.Contains("docker plugin create", script, StringComparison.Ordinal);
        Assert.Contains("config.json", script, StringComparison.Ordinal);
        Assert.Contains(Tree.Str(config, "propagatedMount")!, script, StringComparison.Ordinal);
        foreach (var mount in Tree.Maps(config, "mounts").Where(m => Tree.Str(m, "destination") != "/dev"))
            Assert.Contains(Tree.Str(mount, "destination")!, script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_swarm_plugin_script_makes_the_pools_folder_the_engine_will_not()
    {
        var script = DeployFiles.Read("swarm", "create-plugin.sh");
        var poolsMount = Tree.Maps(Json("swarm", "config.json"), "mounts").Single(m => Tree.Str(m, "name") == "pools");

        // docker plugin enable fails while a bind mount's source is missing on the host.
        Assert.Contains($"pools_source=${{3:-{Tree.Str(poolsMount, "source")}}}", script, StringComparison.Ordinal);
        Assert.Contains("mkdir -p \"$pools_source\"", script, StringComparison.Ordinal);
        Assert.Contains("pools.source=\"$pools_source\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_swarm_volume_command_names_the_plugin_with_its_tag()
    {
        // Swarm keys plugins as NAME:TAG; a volume made with a bare name is never published.
        string[] texts =
        [
            File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")),
            DeployFiles.Read("swarm", "README.md"),
            DeployFiles.Read("swarm", "stack.yml"),
        ];
        var drivers = texts.SelectMany(t => DriverFlag().Matches(t)).Select(m => m.Groups[1].Value).ToList();

        Assert.True(drivers.Count >= 3, $"expected a docker volume create in each file, found {drivers.Count}");
        Assert.All(drivers, driver => Assert.Contains(':', driver.Split('/')[^1]));
    }

    [Fact]
    public void The_swarm_stack_mounts_an_existing_cluster_volume()
    {
        var stack = Yaml.Document(DeployFiles.Read("swarm", "stack.yml"));
        var mount = Tree.Maps(stack, "services.db.volumes").Single();

        Assert.Equal("cluster", Tree.Str(mount, "type"));
        Assert.Equal("true", Tree.Str(stack, $"volumes.{Tree.Str(mount, "source")}.external"));
    }

    [Fact]
    public void The_mesos_configs_run_loam_as_the_driver_the_tasks_name()
    {
        var isolator = Json("mesos", "csi-plugin.json");
        var provider = Json("mesos", "resource-provider.json");
        var profiles = Json("mesos", "disk-profiles.json");
        var task = Json("mesos", "task-example.json");
        var driver = DeployFiles.DriverName;

        Assert.Equal(driver, Tree.Str(isolator, "type"));
        Assert.Equal(driver, Tree.Str(provider, "storage.plugin.type"));
        Assert.Equal("org.apache.mesos.rp.local.storage", Tree.Str(provider, "type"));
        foreach (var plugin in new[] { isolator, Tree.Map(provider, "storage.plugin") })
        {
            var container = Tree.Maps(plugin, "containers").Single();
            Assert.Equal(["CONTROLLER_SERVICE", "NODE_SERVICE"], Tree.Strings(container, "services").Order());
            Assert.Equal("false", Tree.Str(container, "command.shell"));
            Assert.Equal("/opt/loam/loam", Tree.Str(container, "command.value"));
            Assert.Equal(["loam", "serve"], Tree.Strings(container, "command.arguments").Take(2));
            Assert.Contains($"--driver-name={driver}", Tree.Strings(container, "command.arguments"));
            Assert.All(Tree.Maps(container, "command.environment.variables"), v => Assert.Contains(Tree.Str(v, "name"), KubernetesDeployment.DriverEnvironment));
        }
        var pools = PoolSpec.ParseAll(Tree.Str(Tree.Maps(Tree.Maps(Tree.Map(provider, "storage.plugin"), "containers").Single(), "command.environment.variables").Single(v => Tree.Str(v, "name") == "LOAM_POOLS"), "value")!);
        foreach (var (name, profile) in Tree.Map(profiles, "profile_matrix"))
        {
            Assert.Equal(driver, Tree.Str(profile, "csi_plugin_type_selector.plugin_type"));
            Assert.Contains(pools, p => p.Name == Tree.Str(profile, "create_parameters.pool"));
            Assert.True(Tree.Map(profile, "create_parameters").Keys.All(k => k is "pool" or "provisioning"), $"profile {name} passes a parameter Loam does not accept");
        }
        Assert.Equal(driver, Tree.Str(Tree.Maps(task, "container.volumes").Single(), "source.csi_volume.plugin_name"));
    }

    [Fact]
    public void The_nomad_plugin_jobs_listen_where_nomad_connects_and_allow_its_paths()
    {
        var driver = DeployFiles.DriverName;
        var plugins = new[] { ("loam-monolith.nomad.hcl", "monolith"), ("loam-controller.nomad.hcl", "controller"), ("loam-node.nomad.hcl", "node") };

        foreach (var (file, type) in plugins)
        {
            var task = NomadTask(Hcl(file));
            var plugin = Tree.Maps(task, "csi_plugin").Single();
            var args = Tree.Strings(Tree.Maps(task, "config").Single(), "args").ToList();
            Assert.Equal("loam", Tree.Str(plugin, "id"));
            Assert.Equal(type, Tree.Str(plugin, "type"));
            Assert.Equal("serve", args[0]);
            Assert.Contains($"--driver-name={driver}", args);
            Assert.Contains($"--endpoint=unix://{Tree.Str(plugin, "mount_dir")}/csi.sock", args);
            Assert.Contains($"--mode={(type == "monolith" ? "all" : type)}", args);
            if (type != "controller")
                Assert.Contains($"--allowed-root={Tree.Str(plugin, "stage_publish_base_dir")}", args);
            var pools = PoolSpec.ParseAll(Tree.Str(Tree.Maps(task, "env").Single(), "LOAM_POOLS")!);
            Assert.All(pools, p => Assert.Equal(type != "monolith", p.Shared));
            Assert.All(pools, p => Assert.Contains(Tree.Maps(Tree.Maps(task, "config").Single(), "mount"),
                m => p.Path.StartsWith(Tree.Str(m, "target") + "/", StringComparison.Ordinal) && Tree.Str(m, "source") == Tree.Str(m, "target")));
        }
    }

    [Fact]
    public void The_nomad_volume_is_made_by_the_loam_plugin_and_mounted_by_the_example()
    {
        var volume = Hcl("volume.hcl");
        var example = Hcl("example.nomad.hcl");
        var monolith = NomadTask(Hcl("loam-monolith.nomad.hcl"));
        var pools = PoolSpec.ParseAll(Tree.Str(Tree.Maps(monolith, "env").Single(), "LOAM_POOLS")!);
        var group = Tree.Maps(Tree.Map(Tree.Maps(example, "job.loam-demo").Single(), "group"), "db").Single();
        var claim = Tree.Maps(Tree.Map(group, "volume"), "data").Single();

        Assert.Equal("csi", Tree.Str(volume, "type"));
        Assert.Equal(Tree.Str(Tree.Maps(monolith, "csi_plugin").Single(), "id"), Tree.Str(volume, "plugin_id"));
        var parameters = Tree.Maps(volume, "parameters").Single();
        Assert.Contains(pools, p => p.Name == Tree.Str(parameters, "pool"));
        Assert.All(parameters.Keys, key => Assert.Contains(key, new[] { "pool", "provisioning" }));
        Assert.Equal(Tree.Str(volume, "id"), Tree.Str(claim, "source"));
        Assert.Equal(Tree.Str(Tree.Maps(volume, "capability").Single(), "access_mode"), Tree.Str(claim, "access_mode"));
    }

    [Fact]
    public void A_broken_hcl_file_is_refused_by_the_parser()
    {
        using var root = new TestRoot("hcl");
        var file = root.Combine("broken.hcl");
        File.WriteAllText(file, "job \"x\" {\n  type = \n}\n");

        Assert.Throws<InvalidOperationException>(() => NodeScripts.Run("hcl2json.cjs", "", file));
    }

    /// <summary>The one task of the one group of the one job in a parsed job file.</summary>
    private static Dictionary<string, object?> NomadTask(Dictionary<string, object?> job)
    {
        var body = Tree.Map(job, "job").Values.Select(v => Tree.Maps(v).Single()).Single();
        var group = Tree.Map(body, "group").Values.Select(v => Tree.Maps(v).Single()).Single();
        return Tree.Map(group, "task").Values.Select(v => Tree.Maps(v).Single()).Single();
    }

    [GeneratedRegex(@"docker volume create --driver ([^\s]+)")]
    private static partial Regex DriverFlag();
}
