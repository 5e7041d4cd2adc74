namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// kubectl, whose built-in kustomize builds the manifests. Machines that run these tests have
/// it; where it is missing the tests fail with this message instead of passing unchecked.
/// </summary>
public static class Kubectl
{
    private static readonly Lazy<string> Executable = new(() =>
        Environment.GetEnvironmentVariable("LOAM_KUBECTL") is { Length: > 0 } given ? given
        : ToolRun.FindOnPath("kubectl")
          ?? throw new InvalidOperationException(
              "kubectl is not installed: the manifest tests build every kustomization with `kubectl kustomize`. " +
              "Install kubectl (or set LOAM_KUBECTL to its path) and run them again."));

    public static string Path => Executable.Value;

    /// <summary>The objects <c>kubectl kustomize DIR</c> renders.</summary>
    public static ManifestSet Kustomize(string directory) =>
        new(Yaml.Documents(ToolRun.Run(Path, ["kustomize", directory]).OrThrow($"kubectl kustomize {directory}")));
}
