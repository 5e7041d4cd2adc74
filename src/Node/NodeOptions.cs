namespace Loam.Node;

/// <summary>Node-side settings.</summary>
public sealed record NodeOptions
{
    public const string DefaultAllowedRoot = "/var/lib/kubelet";

    /// <summary>Staging and target paths must lie under one of these (no symlink may lead out).</summary>
    public IReadOnlyList<string> AllowedRoots { get; init; } = [DefaultAllowedRoot];

    /// <summary>What is wrong with these settings, each named by its <c>loam serve</c> flag; empty when none.</summary>
    public IReadOnlyList<string> Validate() =>
    [
        .. AllowedRoots.Count == 0 ? ["--allowed-root: at least one root is needed"] : Array.Empty<string>(),
        .. AllowedRoots.Where(r => !Path.IsPathFullyQualified(r)).Select(r => $"--allowed-root '{r}' must be absolute"),
    ];
}
