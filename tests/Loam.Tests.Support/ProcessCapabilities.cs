using System.Globalization;

namespace Loam.Tests.Support;

/// <summary>Whether this process (and so the driver it starts) holds a Linux capability, from CapEff in /proc/self/status.</summary>
public static class ProcessCapabilities
{
    public const int SysResource = 24;

    public static bool Has(int capability)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << capability)) != 0;
    }
}
