namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// Parsers that exist as npm packages and nowhere on NuGet: HashiCorp's own HCL parser
/// (@cdktf/hcl2json, the Go library compiled to WebAssembly) and the Prometheus project's
/// PromQL grammar (@prometheus-io/lezer-promql). Installed once into artifacts/test-tools/node
/// and driven by the small scripts in Tools/js.
/// </summary>
public static class NodeScripts
{
    private static readonly string[] Packages = ["@cdktf/hcl2json@0.21.0", "@prometheus-io/lezer-promql@0.315.0"];

    private static readonly Lazy<(string Node, string Modules)> Installed = new(Install);

    /// <summary>Runs Tools/js/SCRIPT with node, stdin in, stdout out.</summary>
    public static string Run(string script, string stdin, params string[] arguments)
    {
        var (node, modules) = Installed.Value;
        var path = Path.Combine(RepoPaths.Root, "tests", "Loam.Tests.Deploy", "Tools", "js", script);
        return ToolRun.Run(node, [path, .. arguments], stdin, new Dictionary<string, string> { ["NODE_PATH"] = modules })
            .OrThrow($"node {script}");
    }

    private static (string, string) Install()
    {
        var node = ToolRun.FindOnPath("node")
            ?? throw new InvalidOperationException("node is not installed: the Nomad HCL and Grafana PromQL checks run the official parsers under node.");
        var prefix = Path.Combine(TestTools.Directory, "node");
        var modules = Path.Combine(prefix, "node_modules");
        if (Packages.All(p => System.IO.Directory.Exists(Path.Combine(modules, p[..p.LastIndexOf('@')]))))
            return (node, modules);
        var npm = ToolRun.FindOnPath("npm") ?? throw new InvalidOperationException("npm is not installed: it installs the HCL and PromQL parsers the tests use.");
        System.IO.Directory.CreateDirectory(prefix);
        ToolRun.Run(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "--silent", .. Packages])
            .OrThrow("npm install " + string.Join(' ', Packages));
        return (node, modules);
    }
}
