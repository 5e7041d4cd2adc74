namespace Loam.Bench;

/// <summary>One scenario's figures for one endpoint (or driver command line).</summary>
public sealed record BenchResult(string Scenario, string Target, Dictionary<string, double> Metrics);
