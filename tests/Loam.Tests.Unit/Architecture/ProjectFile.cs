using System.Xml.Linq;

namespace Loam.Tests.Unit.Architecture;

/// <summary>What one .csproj declares: the projects and packages it references, and its switches.</summary>
public sealed record ProjectFile(
    string Name,
    string RelativePath,
    IReadOnlyList<string> Projects,
    IReadOnlyList<string> Packages,
    IReadOnlyList<string> Frameworks,
    bool AllowsUnsafe,
    IReadOnlyDictionary<string, string> PackagePrivateAssets)
{
    /// <summary>Every shipped project: src/*/*.csproj and bench/*/*.csproj (tests may reach anything).</summary>
    public static IReadOnlyList<ProjectFile> Shipped() =>
        new[] { "src", "bench" }
            .SelectMany(folder => Directory.GetDirectories(Path.Combine(RepoPaths.Root, folder)))
            .SelectMany(dir => Directory.GetFiles(dir, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .ToList();

    public static ProjectFile Read(string path)
    {
        var xml = XDocument.Load(path);
        IEnumerable<XElement> Items(string kind) =>
            xml.Descendants(kind).Where(e => e.Attribute("Include") is not null);
        var packages = Items("PackageReference").ToList();
        return new ProjectFile(
            Path.GetFileNameWithoutExtension(path),
            Path.GetRelativePath(RepoPaths.Root, path),
            Items("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value)).ToList(),
            packages.Select(e => e.Attribute("Include")!.Value).ToList(),
            Items("FrameworkReference").Select(e => e.Attribute("Include")!.Value).ToList(),
            xml.Descendants("AllowUnsafeBlocks")
                .Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)),
            packages.ToDictionary(
                e => e.Attribute("Include")!.Value,
                e => e.Attribute("PrivateAssets")?.Value ?? e.Element("PrivateAssets")?.Value ?? ""));
    }
}
