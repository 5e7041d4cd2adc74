using System.Globalization;
using System.Text.Json;

namespace Loam.Bench;

/// <summary>
/// What the bench prints: a table for people (one row per figure, one column per target),
/// then exactly one JSON line for scripts, <c>{"scenario":..,"parameters":{..},"results":[..]}</c>.
/// </summary>
public sealed record BenchReport(string Scenario, Dictionary<string, string> Parameters, List<BenchResult> Results)
{
    public void WriteTo(TextWriter output)
    {
        var names = Results.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        var header = new[] { "metric" }.Concat(Results.Select(r => r.Target)).ToList();
        var rows = names.Select(n => new[] { n }.Concat(Results.Select(r => r.Metrics.TryGetValue(n, out var v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-")).ToList()).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        output.WriteLine($"scenario {Scenario}: {string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        foreach (var row in rows.Prepend(header))
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
        output.WriteLine(JsonSerializer.Serialize(this, BenchJson.Default.BenchReport));
    }
}
