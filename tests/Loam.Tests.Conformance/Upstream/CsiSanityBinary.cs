namespace Loam.Tests.Conformance.Upstream;

/// <summary>
/// Where the upstream csi-sanity binary is: the file LOAM_CSI_SANITY names (CI's .ci/run sets it
/// when ../shared/bin/csi-sanity exists). The project must build and pass without it, so a
/// missing binary skips the upstream suite, saying why, rather than failing it.
/// </summary>
public static class CsiSanityBinary
{
    public const string Variable = "LOAM_CSI_SANITY";

    /// <summary>The binary's full path, or null when the suite cannot run here.</summary>
    public static string? Path { get; } = Find();

    /// <summary>Why the suite is skipped, or null when it runs.</summary>
    public static string? SkipReason { get; } = Explain();

    private static string? Find() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path && File.Exists(path)
            ? System.IO.Path.GetFullPath(path)
            : null;

    private static string? Explain()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(named))
            return $"{Variable} is not set: set it to a csi-sanity binary to run the upstream suite "
                + "(.ci/run sets it to ../shared/bin/csi-sanity when that file exists)";
        if (!File.Exists(named))
            return $"{Variable} names {named}, which does not exist";
        return Privileges.IsRoot ? null : Privileges.SkipReason;
    }
}
