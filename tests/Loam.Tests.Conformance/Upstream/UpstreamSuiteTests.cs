using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Loam.Tests.Conformance.Upstream;

/// <summary>
/// The upstream csi-sanity suite, whole, against a real <c>loam serve</c> on a real pool
/// filesystem: one case per pool filesystem and access type, failing on any failed spec and
/// naming each. Needs root and LOAM_CSI_SANITY (see <see cref="CsiSanityBinary"/>).
/// </summary>
public sealed class UpstreamSuiteTests(ITestOutputHelper output)
{
    /// <summary>The node's attach limit: above the most volumes any spec publishes at once.</summary>
    private const int MaxVolumesPerNode = 16;

    /// <summary>The marker every secret the suite sends carries; the driver's log must never contain it.</summary>
    private const string SecretMarker = "sanity-secret-";

    [UpstreamSuiteTheory]
    [InlineData("ext4", "mount")]
    [InlineData("ext4", "block")]
    [InlineData("xfs", "mount")]
    [InlineData("xfs", "block")]
    [InlineData("btrfs", "mount")]
    [InlineData("btrfs", "block")]
    public async Task Passes_every_spec(string poolFs, string accessType)
    {
        using var root = new TestRoot($"upstream-{poolFs}-{accessType}");
        var pool = PoolFilesystem.Create(root, poolFs, PoolSize(poolFs)).MountPoint + "/pool";
        await using var driver = await DriverProcess.StartAsync(root.Combine("csi.sock"),
        [
            "--node-id", "upstream-node",
            "--pool", $"default={pool}",
            "--allowed-root", root.Path,
            "--max-volumes-per-node", MaxVolumesPerNode.ToString(CultureInfo.InvariantCulture),
            "--log-level", "debug",
        ]);

        var run = await CsiSanityRun.RunAsync(CsiSanityBinary.Path!, driver.SocketPath, root.Folder("sanity"), accessType);

        var summary = run.Report is { } r ? r.ToString() : "no report";
        output.WriteLine($"csi-sanity on a {poolFs} pool, {accessType} volumes: {summary}, " +
            $"exit code {run.ExitCode}, {run.Duration.TotalSeconds:F1} s");
        Assert.True(run.Report is not null, $"csi-sanity wrote no report (exit code {run.ExitCode}):\n{Tail(run.Output)}");
        Assert.True(run.Report.Specs.Count > 0, $"csi-sanity ran no spec:\n{Tail(run.Output)}");
        Assert.True(run.Report.Failed == 0, FailureMessage(run.Report, poolFs, accessType));
        Assert.True(run.ExitCode == 0, $"csi-sanity exited {run.ExitCode} with no failed spec:\n{Tail(run.Output)}");
        Assert.DoesNotContain(SecretMarker, driver.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sparse pool images large enough for the suite's 10 GiB volumes: two at once on btrfs (the
    /// 20 GiB pool issue 10 asks about), room to spare on ext4 and xfs.
    /// </summary>
    private static long PoolSize(string poolFs) => poolFs == "btrfs" ? 20L << 30 : 40L << 30;

    private static string FailureMessage(SanityReport report, string poolFs, string accessType)
    {
        var message = new StringBuilder($"csi-sanity on a {poolFs} pool, {accessType} volumes: {report}. Failed:\n");
        foreach (var spec in report.Failures)
            message.Append(CultureInfo.InvariantCulture, $"- {spec.Name} [{spec.Status}]: {FirstLines(spec.Failure)}\n");
        return message.ToString();
    }

    private static string FirstLines(string? text, int lines = 6) =>
        text is null ? "" : string.Join("\n    ", text.Split('\n').Take(lines).Select(l => l.TrimEnd()));

    private static string Tail(string text, int lines = 40) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}
