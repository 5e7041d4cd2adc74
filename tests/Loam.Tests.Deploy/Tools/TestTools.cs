namespace Loam.Tests.Deploy.Tools;

/// <summary>Where fetched test tools are kept: artifacts/test-tools in the repository (ignored by git).</summary>
public static class TestTools
{
    public static string Directory { get; } = Path.Combine(RepoPaths.Root, "artifacts", "test-tools");
}
