using System.Text.Json;
using System.Text.RegularExpressions;
using Csi.V1;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Metrics;

/// <summary>
/// The Grafana dashboard's queries are valid PromQL (checked with the Prometheus project's
/// own grammar) and select only series a real driver exports.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly string DashboardPath = Path.Combine(RepoPaths.Root, "deploy", "grafana", "loam-dashboard.json");

    private sealed record Parsed(string Expr, int? Error, string[] Metrics);

    [Fact]
    public async Task Every_query_parses_and_selects_only_series_loam_exports()
    {
        var exported = await ExportedAsync();
        var parsed = Parse(Expressions());

        Assert.NotEmpty(parsed);
        Assert.All(parsed, p => Assert.True(p.Error is null, $"not PromQL at offset {p.Error}: {p.Expr}"));
        Assert.All(parsed.SelectMany(p => p.Metrics.Select(m => (p.Expr, Metric: m))),
            u => Assert.True(exported.Names.Contains(u.Metric), $"{u.Metric} is not exported (in: {u.Expr})"));
    }

    [Fact]
    public async Task Template_variables_read_labels_loam_exports()
    {
        var exported = await ExportedAsync();
        var variables = Tree.Maps(Dashboard(), "templating.list").Where(v => Tree.Str(v, "type") == "query").ToList();

        Assert.NotEmpty(variables);
        Assert.All(variables, v =>
        {
            var query = LabelValues().Match(Tree.Str(v, "definition") ?? "");
            Assert.True(query.Success, $"variable {Tree.Str(v, "name")}: {Tree.Str(v, "definition")} is not label_values(METRIC, LABEL)");
            Assert.Contains(exported.Text.Named(query.Groups[1].Value), s => s.Labels.ContainsKey(query.Groups[2].Value));
        });
    }

    [Fact]
    public async Task Every_metric_loam_exports_is_on_the_dashboard()
    {
        var exported = await ExportedAsync();
        var used = Parse(Expressions()).SelectMany(p => p.Metrics).ToHashSet();

        Assert.All(exported.Text.Types.Keys, family => Assert.True(
            used.Contains(family) || used.Any(u => u.StartsWith(family + "_", StringComparison.Ordinal)), $"{family} is on no panel"));
    }

    [Fact]
    public void The_query_check_refuses_broken_promql()
    {
        var parsed = Parse(["sum(rate(loam_pool_up[5m])", "loam_pool_up"]);

        Assert.NotNull(parsed[0].Error);
        Assert.Null(parsed[1].Error);
    }

    private static Dictionary<string, object?> Dashboard() => Tree.ParseJson(File.ReadAllText(DashboardPath));

    private static List<string> Expressions() =>
        [.. Tree.Maps(Dashboard(), "panels").SelectMany(p => Tree.Maps(p, "targets")).Select(t => Tree.Str(t, "expr")!)];

    private static List<Parsed> Parse(List<string> expressions) =>
        JsonSerializer.Deserialize<List<Parsed>>(NodeScripts.Run("promql.cjs", JsonSerializer.Serialize(expressions)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>What a driver that has served a call exports (a histogram appears with its first observation).</summary>
    private static async Task<(IReadOnlySet<string> Names, PrometheusText Text)> ExportedAsync()
    {
        using var root = new TestRoot("dashboard");
        await using var driver = await MetricsDriver.StartAsync(root, $"default={root.Folder("pool")}");
        await driver.Process.Csi.Identity.GetPluginInfoAsync(new GetPluginInfoRequest());
        var text = await driver.ScrapeAsync();
        return (text.SelectableNames, text);
    }

    [GeneratedRegex(@"^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$")]
    private static partial Regex LabelValues();
}
