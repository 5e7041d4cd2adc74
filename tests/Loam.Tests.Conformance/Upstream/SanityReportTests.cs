namespace Loam.Tests.Conformance.Upstream;

/// <summary>
/// The reading of csi-sanity's JUnit report: a spec that did not pass and was not skipped is a
/// failure whatever ginkgo calls its state, so a crash inside a spec can never count as a pass.
/// </summary>
public sealed class SanityReportTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sanity-report-{Guid.NewGuid():N}.xml");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Counts_passed_skipped_and_failed_specs_and_names_each_failure()
    {
        File.WriteAllText(_path, """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="5" failures="2">
              <testsuite name="CSI Driver Test Suite" tests="5">
                <properties><property name="RandomSeed" value="1234"></property></properties>
                <testcase name="[It] Identity Service Probe should return appropriate information" status="passed"/>
                <testcase name="[It] ListVolumes pagination should detect volumes added" status="pending">
                  <skipped message="pending"></skipped>
                </testcase>
                <testcase name="[It] NodeExpandVolume should work" status="skipped"><skipped message="no"/></testcase>
                <testcase name="[It] CreateVolume should create volume from an existing source volume" status="failed">
                  <failure message="rpc error: code = ResourceExhausted" type="failed">stack</failure>
                </testcase>
                <testcase name="[It] Node Service should work" status="panicked">
                  <error message="runtime error: nil pointer" type="panicked">stack</error>
                </testcase>
              </testsuite>
            </testsuites>
            """);

        var report = SanityReport.Read(_path);

        Assert.Equal((1, 2, 2), (report.Passed, report.Skipped, report.Failed));
        Assert.Equal("1234", report.Seed);
        Assert.Equal(
            [
                ("CreateVolume should create volume from an existing source volume",
                    "rpc error: code = ResourceExhausted"),
                ("Node Service should work", "runtime error: nil pointer"),
            ],
            report.Failures.Select(f => (f.Name, f.Failure)));
    }
}
