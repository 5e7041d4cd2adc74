using System.Text.RegularExpressions;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>Where the deploy files are, and facts the tests compare them with.</summary>
public static partial class DeployFiles
{
    public static string Deploy { get; } = Path.Combine(RepoPaths.Root, "deploy");
    public static string Kubernetes { get; } = Path.Combine(Deploy, "kubernetes");
    public static string Chart { get; } = Path.Combine(Deploy, "helm", "loam");

    public static string Overlay(string name) => Path.Combine(Kubernetes, "overlays", name);

    /// <summary>The version the build stamps into `loam` (Directory.Build.props), which the image tag must be.</summary>
    public static string Version { get; } =
        VersionElement().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"))).Groups[1].Value;

    /// <summary>The driver name every file must use: the CSIDriver object's.</summary>
    public static string DriverName => Kubectl.Kustomize(Path.Combine(Kubernetes, "base")).Single("CSIDriver").Name;

    public static string Read(params string[] parts) => File.ReadAllText(Path.Combine([Deploy, .. parts]));

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
