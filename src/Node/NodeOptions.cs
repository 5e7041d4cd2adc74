namespace Loam.Node;

/// <summary>Node-side settings.</summary>
public sealed record NodeOptions
{
    public const string DefaultAllowedRoot = "/var/lib/kubelet";

    /// <summary>Staging and target paths must lie under one of these (no symlink may lead out).</summary>
    public IReadOnlyList<string> AllowedRoots { get; init; } = [DefaultAllowedRoot];
}
