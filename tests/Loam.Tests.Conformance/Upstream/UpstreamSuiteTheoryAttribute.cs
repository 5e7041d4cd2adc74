namespace Loam.Tests.Conformance.Upstream;

/// <summary>
/// A run of the upstream suite: skipped, and reported skipped with the reason, when
/// <see cref="CsiSanityBinary"/> has no binary or the test does not run as root.
/// </summary>
public sealed class UpstreamSuiteTheoryAttribute : TheoryAttribute
{
    public UpstreamSuiteTheoryAttribute()
    {
        if (CsiSanityBinary.SkipReason is { } reason)
            Skip = reason;
    }
}
