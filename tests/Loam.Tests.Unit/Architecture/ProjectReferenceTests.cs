namespace Loam.Tests.Unit.Architecture;

/// <summary>
/// The project references enforce the layout (README "Where things are"): each failure names
/// the project file and the reference that breaks the rule.
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly IReadOnlyList<ProjectFile> Projects = ProjectFile.Shipped();

    private static void AssertNone(IEnumerable<string> violations)
    {
        var list = violations.ToList();
        Assert.True(list.Count == 0, string.Join('\n', list));
    }

    [Fact]
    public void Every_shipped_project_has_a_line_in_the_allowed_graph()
    {
        Assert.Contains(Projects, p => p.Name == "Loam.Os");
        AssertNone(Projects.Where(p => !AllowedReferences.Graph.ContainsKey(p.Name))
            .Select(p => $"{p.RelativePath}: not in AllowedReferences.Graph; add it with the references it may have"));
    }

    [Fact]
    public void No_project_references_a_project_its_layer_may_not_see()
    {
        AssertNone(
            from project in Projects
            where AllowedReferences.Graph.ContainsKey(project.Name)
            let allowed = AllowedReferences.Graph[project.Name].Projects
            from reference in project.Projects
            where !allowed.Contains(reference)
            select $"{project.RelativePath} references project {reference}; {project.Name} may reference "
                + (allowed.Length == 0 ? "no project of ours" : "only " + string.Join(", ", allowed)));
    }

    [Fact]
    public void No_project_references_a_package_its_layer_may_not_use()
    {
        AssertNone(
            from project in Projects
            where AllowedReferences.Graph.ContainsKey(project.Name)
            let allowed = AllowedReferences.Graph[project.Name].Packages
            from package in project.Packages
            where !allowed.Contains(package)
            select $"{project.RelativePath} references package {package}; {project.Name} may use "
                + (allowed.Length == 0 ? "no package" : "only " + string.Join(", ", allowed)));
    }

    [Fact]
    public void Only_the_kernel_project_allows_unsafe_code_or_references_Mono_Posix()
    {
        AssertNone(
            from project in Projects
            where project.Name != AllowedReferences.KernelProject
            from what in new[]
            {
                project.AllowsUnsafe ? "AllowUnsafeBlocks" : null,
                project.Packages.Contains(AllowedReferences.MonoPosix)
                    ? "package " + AllowedReferences.MonoPosix
                    : null,
            }
            where what is not null
            select $"{project.RelativePath} has {what}; only {AllowedReferences.KernelProject} may");
    }

    [Fact]
    public void Mono_Posix_compiles_only_in_the_kernel_project()
    {
        var kernel = Projects.Single(p => p.Name == AllowedReferences.KernelProject);
        var privateAssets = kernel.PackagePrivateAssets.GetValueOrDefault(AllowedReferences.MonoPosix, "");
        Assert.True(privateAssets.Split(';').Contains("compile", StringComparer.OrdinalIgnoreCase),
            $"{kernel.RelativePath}: {AllowedReferences.MonoPosix} needs PrivateAssets=\"compile\", else every "
            + "project above it could call POSIX directly");
    }

    [Fact]
    public void The_client_side_never_reaches_the_server_side_even_through_another_project()
    {
        var byName = Projects.ToDictionary(p => p.Name);
        AssertNone(
            from name in AllowedReferences.ClientSide
            where byName.ContainsKey(name)
            from reached in Reachable(byName, name)
            where AllowedReferences.ServerOnly.Contains(reached.Target)
            select $"{byName[name].RelativePath} reaches {reached.Target} through {reached.Path}");
    }

    private static IEnumerable<(string Target, string Path)> Reachable(
        IReadOnlyDictionary<string, ProjectFile> byName, string start)
    {
        var seen = new HashSet<string> { start };
        var queue = new Queue<(string Name, string Path)>([(start, start)]);
        while (queue.TryDequeue(out var current))
        {
            if (!byName.TryGetValue(current.Name, out var project))
                continue;
            foreach (var next in project.Projects.Where(seen.Add))
            {
                var path = current.Path + " -> " + next;
                yield return (next, path);
                queue.Enqueue((next, path));
            }
        }
    }
}
