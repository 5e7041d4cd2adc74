using System.Diagnostics;
using System.Globalization;

namespace Loam.Tests.Conformance.Upstream;

/// <summary>
/// One run of the upstream csi-sanity binary against a driver's socket, with every feature flag
/// the suite has that Loam supports: the node attach limit, mutable parameters
/// (<c>provisioning</c>), volume expansion and secrets on every call. The suite has no flag for
/// snapshot metadata. Volumes keep the suite's default size (10 GiB).
/// </summary>
public sealed class CsiSanityRun
{
    /// <summary>Expansion target: the default 10 GiB volume grown by 2 GiB.</summary>
    public const long ExpandSize = 12L << 30;

    /// <summary>A bound on the whole suite, far above what it takes, so a hang fails instead of stalling CI.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private CsiSanityRun(int exitCode, string output, SanityReport? report, TimeSpan duration)
    {
        ExitCode = exitCode;
        Output = output;
        Report = report;
        Duration = duration;
    }

    public int ExitCode { get; }
    public string Output { get; }

    /// <summary>Null when the suite wrote no report (it crashed or could not start).</summary>
    public SanityReport? Report { get; }

    public TimeSpan Duration { get; }

    /// <param name="binary">the csi-sanity executable.</param>
    /// <param name="socketPath">the driver's unix socket.</param>
    /// <param name="workDir">an existing folder below the driver's allowed root, for the staging
    /// and mount folders the suite makes, its input files and its report.</param>
    /// <param name="accessType">mount or block.</param>
    public static async Task<CsiSanityRun> RunAsync(string binary, string socketPath, string workDir, string accessType)
    {
        var mutable = Path.Combine(workDir, "mutable-parameters.yaml");
        await File.WriteAllTextAsync(mutable, "provisioning: thick\n");
        var secrets = Path.Combine(workDir, "secrets.yaml");
        await File.WriteAllTextAsync(secrets, SecretsYaml());
        var junit = Path.Combine(workDir, "junit.xml");

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-csi.endpoint", "unix://" + socketPath,
            "-csi.stagingdir", Path.Combine(workDir, "staging"),
            "-csi.mountdir", Path.Combine(workDir, "target"),
            "-csi.testvolumeaccesstype", accessType,
            "-csi.testnodevolumeattachlimit",
            "-csi.testvolumemutableparameters", mutable,
            "-csi.testvolumeexpandsize", ExpandSize.ToString(CultureInfo.InvariantCulture),
            "-csi.secrets", secrets,
            "-ginkgo.junit-report", junit,
            "-ginkgo.no-color",
            "-ginkgo.timeout", $"{(int)Timeout.TotalMinutes}m",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(Timeout + TimeSpan.FromMinutes(1)))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        clock.Stop();
        var output = await stdout + await stderr;
        var report = File.Exists(junit) ? SanityReport.Read(junit) : null;
        return new CsiSanityRun(process.ExitCode, output, report, clock.Elapsed);
    }

    /// <summary>
    /// A secret for every call the suite sends secrets with, so each handler sees one (and the
    /// driver must not log it).
    /// </summary>
    private static string SecretsYaml()
    {
        string[] calls =
        [
            "CreateVolumeSecret", "DeleteVolumeSecret", "ControllerPublishVolumeSecret",
            "ControllerUnpublishVolumeSecret", "ControllerValidateVolumeCapabilitiesSecret",
            "NodeStageVolumeSecret", "NodePublishVolumeSecret", "CreateSnapshotSecret",
            "DeleteSnapshotSecret", "ControllerExpandVolumeSecret", "NodeExpandVolumeSecret",
            "ListSnapshotsSecret", "ControllerModifyVolumeSecret",
        ];
        return string.Concat(calls.Select(call => $"{call}:\n  sanity-key: sanity-secret-{call}\n"));
    }
}
