namespace Loam.Bench;

/// <summary>What one fio job measured: I/O operations per second, bandwidth, and the 99th percentile of completion latency.</summary>
public sealed record FioResult(double Iops, double MibPerSecond, double P99Microseconds);
