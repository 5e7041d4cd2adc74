using System.Globalization;
using System.Text;

namespace Loam.Tests.Chaos.Soak;

/// <summary>What a soak did and found.</summary>
public sealed class SoakResult(int seed)
{
    public int Seed { get; } = seed;
    public int Iterations { get; set; }
    public int TimedKills { get; set; }
    public int CrashPointKills { get; set; }
    public int Kills => TimedKills + CrashPointKills;
    public int Reboots { get; set; }
    public long Calls { get; set; }
    public long Retries { get; set; }
    public int Audits { get; set; }
    public int DataChecks { get; set; }
    public int Expansions { get; set; }
    public int Creates { get; set; }
    public int Snapshots { get; set; }
    public int Restores { get; set; }
    public int Clones { get; set; }
    public int Deletes { get; set; }
    public Dictionary<string, int> CrashPointsHit { get; } = new(StringComparer.Ordinal);
    public List<string> Failures { get; } = [];
    public TimeSpan Duration { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"soak seed {Seed}: {Iterations} iterations in {Duration:hh\\:mm\\:ss}");
        text.AppendLine(c, $"  kills: {Kills} ({TimedKills} kill -9 at random moments, {CrashPointKills} at named crash points), {Reboots} node reboots (each with one more kill -9, not counted above)");
        text.AppendLine(c, $"  crash points hit: {(CrashPointsHit.Count == 0 ? "none" : string.Join(", ", CrashPointsHit.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} x{p.Value}")))}");
        text.AppendLine(c, $"  operations: {Creates} creates, {Deletes} deletes, {Expansions} online expansions, {Snapshots} snapshots, {Restores} restores, {Clones} clones; {Calls} CSI calls, {Retries} retried");
        text.AppendLine(c, $"  checks: {Audits} audits (pool on disk, records parse, image sizes, ListVolumes, loop devices, mounts), {DataChecks} data checksums");
        text.AppendLine(c, $"  failures: {Failures.Count}");
        foreach (var failure in Failures)
            text.AppendLine(c, $"    - {failure}");
        return text.ToString();
    }
}
