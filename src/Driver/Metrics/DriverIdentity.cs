namespace Loam.Driver.Metrics;

/// <summary>What <c>loam_driver_info</c> tells about this process.</summary>
public sealed record DriverIdentity(string DriverName, string Version, string Mode, string NodeId);
