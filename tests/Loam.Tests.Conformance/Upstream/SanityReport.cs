using System.Xml.Linq;

namespace Loam.Tests.Conformance.Upstream;

/// <summary>The specs of one csi-sanity run, read from its ginkgo JUnit report.</summary>
public sealed record SanityReport(IReadOnlyList<SanitySpec> Specs)
{
    public int Passed => Specs.Count(s => s.Passed);
    public int Failed => Specs.Count(s => s.Failed);
    public int Skipped => Specs.Count(s => s.Skipped);

    public IEnumerable<SanitySpec> Failures => Specs.Where(s => s.Failed);

    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    public static SanityReport Read(string junitPath)
    {
        var specs = XDocument.Load(junitPath).Descendants("testcase").Select(testcase =>
        {
            var failure = testcase.Element("failure") ?? testcase.Element("error");
            return new SanitySpec(
                Name: ((string?)testcase.Attribute("name") ?? "").Replace("[It] ", "", StringComparison.Ordinal),
                Status: (string?)testcase.Attribute("status") ?? (failure is null ? "passed" : "failed"),
                Failure: failure is null ? null : (string?)failure.Attribute("message") ?? failure.Value);
        });
        return new SanityReport([.. specs]);
    }
}
