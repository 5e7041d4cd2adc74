using System.Globalization;

namespace Loam.Tests.Integration;

/// <summary>The effective Linux capabilities of this process, from /proc/self/status.</summary>
public static class Capabilities
{
    public const int SysResource = 24;

    public static bool Has(int capability)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << capability)) != 0;
    }
}

/// <summary>A root test that also needs a capability some sandboxes drop; skipped, with the reason, without it.</summary>
public sealed class RootFactWithCapabilityAttribute : FactAttribute
{
    public RootFactWithCapabilityAttribute(int capability, string why)
    {
        if (!Privileges.IsRoot)
            Skip = Privileges.SkipReason;
        else if (!Capabilities.Has(capability))
            Skip = $"this process lacks capability {capability}: {why}";
    }
}
