namespace Loam.Tests.Conformance.Upstream;

/// <summary>One spec of a csi-sanity run as its JUnit report states it.</summary>
/// <param name="Status">ginkgo's state: passed, skipped, pending, failed, panicked, timedout,
/// interrupted, aborted.</param>
/// <param name="Failure">what the suite said went wrong, for a failed spec.</param>
public sealed record SanitySpec(string Name, string Status, string? Failure)
{
    public bool Passed => Status == "passed";

    /// <summary>Not run by choice: skipped (a capability Loam does not report) or pending upstream.</summary>
    public bool Skipped => Status is "skipped" or "pending";

    /// <summary>Every other state is a failure, including ones this code does not know.</summary>
    public bool Failed => !Passed && !Skipped;
}
