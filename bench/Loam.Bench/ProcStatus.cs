using System.Globalization;

namespace Loam.Bench;

/// <summary>Memory figures of a running process from <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>Resident set size now (VmRSS), in MiB.</summary>
    public static double ResidentMiB(int pid) => MiB(pid, "VmRSS:");

    /// <summary>Peak resident set size since the process started (VmHWM), in MiB.</summary>
    public static double PeakResidentMiB(int pid) => MiB(pid, "VmHWM:");

    private static double MiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{pid}/status has no {field} line (a kernel thread?)");
        var kib = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib / 1024.0;
    }
}
