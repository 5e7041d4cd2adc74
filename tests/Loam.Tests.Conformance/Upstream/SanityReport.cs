using System.Xml.Linq;

namespace Loam.Tests.Conformance.Upstream;

/// <summary>The specs of one csi-sanity run, read from its ginkgo JUnit report.</summary>
/// <param name="Seed">ginkgo's random seed (-ginkgo.seed repeats the run's order).</param>
public sealed record SanityReport(IReadOnlyList<SanitySpec> Specs, string Seed)
{
    public int Passed => Specs.Count(s => s.Passed);
    public int Failed => Specs.Count(s => s.Failed);
    public int Skipped => Specs.Count(s => s.Skipped);

    public IEnumerable<SanitySpec> Failures => Specs.Where(s => s.Failed);

    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped (seed {Seed})";

    public static SanityReport Read(string junitPath)
    {
        var report = XDocument.Load(junitPath);
        var seed = report.Descendants("property")
            .FirstOrDefault(p => (string?)p.Attribute("name") == "RandomSeed")?.Attribute("value")?.Value ?? "unknown";
        var specs = report.Descendants("testcase").Select(testcase =>
        {
            var failure = testcase.Element("failure") ?? testcase.Element("error");
            return new SanitySpec(
                Name: ((string?)testcase.Attribute("name") ?? "").Replace("[It] ", "", StringComparison.Ordinal),
                Status: (string?)testcase.Attribute("status") ?? (failure is null ? "passed" : "failed"),
                Failure: failure is null ? null : (string?)failure.Attribute("message") ?? failure.Value);
        });
        return new SanityReport([.. specs], seed);
    }
}
