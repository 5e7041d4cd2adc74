using System.Text.RegularExpressions;
using System.Xml.Linq;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>
/// The image recipe, checked without a Docker engine (none runs here): the build publishes the
/// driver as the README says, the runtime installs real Debian packages of the base image's
/// release, and the build context carries everything the publish needs and no build output.
/// </summary>
public sealed partial class DockerfileTests
{
    private sealed record Instruction(string Stage, string Keyword, string Arguments);

    private static List<Instruction> Instructions()
    {
        var instructions = new List<Instruction>();
        var stage = "";
        var logical = "";
        foreach (var raw in DeployFiles.Read("Dockerfile").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (logical.Length == 0 && (line.TrimStart().StartsWith('#') || line.Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }
            logical += line;
            var space = logical.IndexOf(' ', StringComparison.Ordinal);
            var keyword = logical[..space].ToUpperInvariant();
            var arguments = Regex.Replace(logical[(space + 1)..], @"\s+", " ").Trim();
            if (keyword == "FROM")
                stage = arguments.Split(" AS ", StringSplitOptions.TrimEntries).Last();
            instructions.Add(new Instruction(stage, keyword, arguments));
            logical = "";
        }
        return instructions;
    }

    [Fact]
    public void The_build_stage_publishes_the_nativeaot_driver_the_runtime_stage_runs()
    {
        var instructions = Instructions();

        Assert.Equal(["build", "runtime"], instructions.Where(i => i.Keyword == "FROM").Select(i => i.Stage));
        Assert.Contains(instructions, i => i.Stage == "build" && i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish src/Driver -c Release -r linux-x64 -o /app", StringComparison.Ordinal));
        Assert.Contains(instructions, i => i.Stage == "build" && i.Arguments.Contains("test -f /app/libMonoPosixHelper.so", StringComparison.Ordinal));
        Assert.Contains(instructions, i => i.Stage == "runtime" && i.Keyword == "COPY" && i.Arguments == "--from=build /app/ /app/");
        Assert.Contains(instructions, i => i.Stage == "runtime" && i.Keyword == "ENTRYPOINT" && i.Arguments == "[\"/app/loam\"]");
        Assert.Contains("docker build -f deploy/Dockerfile", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_installs_the_filesystem_tools_the_node_runs()
    {
        var packages = AptPackages("runtime");

        Assert.Superset(new HashSet<string>(["e2fsprogs", "xfsprogs", "btrfs-progs", "util-linux"]), packages.ToHashSet());
    }

    [Fact]
    public void Every_package_the_image_installs_is_a_package_of_the_base_images_debian_release()
    {
        var froms = Instructions().Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        var release = File.ReadLines("/etc/os-release").Single(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal))["VERSION_CODENAME=".Length..];
        var aptCache = ToolRun.FindOnPath("apt-cache") ?? throw new InvalidOperationException("apt-cache is missing: this check asks Debian's package index");

        // The check is only as good as this machine's package index: it must be the same release.
        Assert.All(froms, from => Assert.Contains("bookworm", from, StringComparison.Ordinal));
        Assert.Equal("bookworm", release);
        var packages = AptPackages("build").Concat(AptPackages("runtime")).Distinct().ToList();
        // A fresh machine may have no package lists yet (apt-cache then knows only what is installed).
        if (!Directory.EnumerateFiles("/var/lib/apt/lists", "*_Packages*").Any())
            ToolRun.Run("apt-get", ["update", "-qq"]).OrThrow("apt-get update, for the package index this check reads");
        var show = ToolRun.Run(aptCache, ["show", "--no-all-versions", .. packages]);
        Assert.True(show.ExitCode == 0, $"apt-cache does not know them all: {show.Error}");
        Assert.All(packages, package => Assert.Contains($"Package: {package}\n", show.Output, StringComparison.Ordinal));
    }

    [Fact]
    public void The_build_context_carries_every_file_the_publish_needs_and_no_build_output()
    {
        var ignore = DeployFiles.Read("Dockerfile.dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var copied = Instructions().Where(i => i.Stage == "build" && i.Keyword == "COPY").SelectMany(i => i.Arguments.Split(' ')[..^1]).ToList();

        Assert.Equal("*", ignore[0]);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.All(copied, source => Assert.Contains("!" + source, ignore));
        Assert.All(InputsOfThePublish(), input => Assert.True(copied.Any(c => c.EndsWith('/') ? input.StartsWith(c, StringComparison.Ordinal) : input == c),
            $"the publish reads {input}, which the Dockerfile does not copy"));
    }

    /// <summary>The repository files `dotnet publish src/Driver` reads: the build props, and every project and proto it references.</summary>
    private static IReadOnlyList<string> InputsOfThePublish()
    {
        var inputs = new List<string> { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" };
        var pending = new Stack<string>([Path.Combine(RepoPaths.Root, "src", "Driver", "Loam.Driver.csproj")]);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
                continue;
            inputs.Add(Path.GetRelativePath(RepoPaths.Root, project));
            var dir = Path.GetDirectoryName(project)!;
            foreach (var element in XDocument.Load(project).Descendants())
            {
                var include = element.Attribute("Include")?.Value;
                if (include is null)
                    continue;
                if (element.Name.LocalName == "ProjectReference")
                    pending.Push(Path.GetFullPath(Path.Combine(dir, include)));
                else if (element.Name.LocalName == "Protobuf")
                    inputs.Add(Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(dir, include))));
            }
        }
        return inputs;
    }

    private static List<string> AptPackages(string stage) =>
    [
        .. Instructions().Where(i => i.Stage == stage && i.Keyword == "RUN")
            .SelectMany(i => AptInstall().Matches(i.Arguments))
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(word => !word.StartsWith('-')),
    ];

    [GeneratedRegex(@"apt-get install ([^&;]+)")]
    private static partial Regex AptInstall();
}
