namespace Loam.Tests.Deploy.Tools;

/// <summary>Questions about one container of a pod spec.</summary>
public static class PodContainer
{
    public static string Name(Dictionary<string, object?> container) => Tree.Str(container, "name") ?? "";

    public static string Image(Dictionary<string, object?> container) => Tree.Str(container, "image") ?? "";

    public static IReadOnlyList<string> Args(Dictionary<string, object?> container) => [.. Tree.Strings(container, "args")];

    /// <summary>The value of <c>--name=value</c> in the container's args, or null.</summary>
    public static string? Flag(Dictionary<string, object?> container, string name) =>
        Args(container).Where(a => a.StartsWith(name + "=", StringComparison.Ordinal)).Select(a => a[(name.Length + 1)..]).LastOrDefault();

    public static bool FlagIsTrue(Dictionary<string, object?> container, string name) =>
        Flag(container, name) is "true" || Args(container).Contains(name);

    /// <summary>
    /// The value a <c>--feature-gates=A=true,B=false</c> flag gives the named gate: true or
    /// false, or null when the container does not set it.
    /// </summary>
    public static bool? FeatureGate(Dictionary<string, object?> container, string gate) =>
        (Flag(container, "--feature-gates") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0] == gate)
            .Select(pair => (bool?)bool.Parse(pair[1]))
            .LastOrDefault();

    public static Dictionary<string, object?>? Env(Dictionary<string, object?> container, string name) =>
        Tree.Maps(container, "env").FirstOrDefault(e => Tree.Str(e, "name") == name);

    public static string? EnvValue(Dictionary<string, object?> container, string name) => Tree.Str(Env(container, name), "value");

    public static string? EnvFieldRef(Dictionary<string, object?> container, string name) => Tree.Str(Env(container, name), "valueFrom.fieldRef.fieldPath");

    public static IEnumerable<Dictionary<string, object?>> Mounts(Dictionary<string, object?> container) => Tree.Maps(container, "volumeMounts");

    public static Dictionary<string, object?>? Volume(Dictionary<string, object?> podSpec, string name) =>
        Tree.Maps(podSpec, "volumes").FirstOrDefault(v => Tree.Str(v, "name") == name);

    public static string? HostPath(Dictionary<string, object?> podSpec, string volume) => Tree.Str(Volume(podSpec, volume), "hostPath.path");

    /// <summary>The mount through which a container sees <paramref name="path"/>, the longest prefix.</summary>
    public static Dictionary<string, object?>? MountCovering(Dictionary<string, object?> container, string path) =>
        Mounts(container)
            .Where(m => Tree.Str(m, "mountPath") is { } mp && (path == mp || path.StartsWith(mp.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .OrderByDescending(m => Tree.Str(m, "mountPath")!.Length)
            .FirstOrDefault();

    public static int? ContainerPort(Dictionary<string, object?> container, string portName) =>
        Tree.Maps(container, "ports").FirstOrDefault(p => Tree.Str(p, "name") == portName) is { } port
            ? int.Parse(Tree.Str(port, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture) : null;
}
