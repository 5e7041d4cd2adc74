using System.Text.RegularExpressions;
using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>
/// The chart rendered by a real helm: it must render, for the same choices, the very objects
/// the kustomize overlays render (Helm's own bookkeeping labels aside).
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string[] HelmLabels = ["helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance"];
    private static readonly string[] SharedPool = ["--set", "mode=shared", "--set", "pools[0].name=default,pools[0].path=/mnt/loam-shared/pool"];

    [Fact]
    public void The_chart_lints_clean()
    {
        var lint = Helm.Run("lint", "--strict", DeployFiles.Chart);

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
    }

    [Fact]
    public void Default_values_render_the_objects_of_the_local_overlay()
    {
        AssertSameObjects(Kubectl.Kustomize(DeployFiles.Overlay("local")), Helm.Template(DeployFiles.Chart));
    }

    [Fact]
    public void Mode_shared_renders_the_objects_of_the_shared_overlay()
    {
        AssertSameObjects(Kubectl.Kustomize(DeployFiles.Overlay("shared")), Helm.Template(DeployFiles.Chart, SharedPool));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void Rendered_objects_agree_with_each_other_and_with_loam_serve(string mode)
    {
        var set = mode == "local" ? Helm.Template(DeployFiles.Chart) : Helm.Template(DeployFiles.Chart, SharedPool);

        Assert.Empty(KubernetesDeployment.Problems(set, mode));
        Assert.Empty(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)));
    }

    [Fact]
    public void A_moved_kubelet_dir_moves_every_kubelet_path_with_it()
    {
        const string kubeletDir = "/var/snap/microk8s/common/var/lib/kubelet";

        var set = Helm.Template(DeployFiles.Chart, "--set", "kubeletDir=" + kubeletDir);

        Assert.Empty(KubernetesDeployment.Problems(set, "local", kubeletDir));
    }

    [Fact]
    public void Pool_options_and_extra_pools_reach_LOAM_POOLS_and_the_mounts()
    {
        var set = Helm.Template(DeployFiles.Chart,
            "--set", "pools[0].name=default,pools[0].path=/var/lib/loam/pools/default,pools[0].reserve=10Gi,pools[0].overcommit=2",
            "--set", "pools[1].name=fast,pools[1].path=/mnt/nvme/loam");
        var loam = set.Containers.Single(c => PodContainer.Name(c.Container) == "loam");

        Assert.Equal("default=/var/lib/loam/pools/default,reserve=10Gi,overcommit=2;fast=/mnt/nvme/loam", PodContainer.EnvValue(loam.Container, "LOAM_POOLS"));
        Assert.Empty(KubernetesDeployment.Problems(set, "local"));
    }

    [Theory]
    [InlineData("mode=foo", "mode must be local or shared")]
    [InlineData("mode=shared", "must lie below sharedMount")]
    public void Values_that_cannot_work_are_refused_with_the_reason(string value, string reason)
    {
        var result = Helm.Run("template", "loam", DeployFiles.Chart, "--set", value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_charts_app_version_is_the_driver_version()
    {
        var chart = Yaml.Document(File.ReadAllText(Path.Combine(DeployFiles.Chart, "Chart.yaml")));

        Assert.Equal(DeployFiles.Version, Tree.Str(chart, "appVersion"));
    }

    [Fact]
    public void Templates_read_only_values_that_values_yaml_defines()
    {
        var values = Yaml.Document(File.ReadAllText(Path.Combine(DeployFiles.Chart, "values.yaml")));
        var used = Directory.GetFiles(Path.Combine(DeployFiles.Chart, "templates"))
            .SelectMany(file => ValuesReference().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Path: m.Groups["path"].Value)))
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.True(Tree.At(values, u.Path) is not null, $"{u.File} reads .Values.{u.Path}, which values.yaml does not define"));
    }

    /// <summary>
    /// Every chart object equals the overlay's object of the same kind and name; every overlay
    /// object is in the chart but the Namespace (helm install --create-namespace makes it) and
    /// roles the overlay ships but binds to no one.
    /// </summary>
    private static void AssertSameObjects(ManifestSet kustomize, ManifestSet helm)
    {
        foreach (var rendered in helm.Objects)
        {
            var expected = kustomize.Objects.FirstOrDefault(o => o.Key == rendered.Key);
            Assert.True(expected is not null, $"the chart renders {rendered}, the overlay does not");
            Assert.Equal(Tree.Canonical(expected!.Raw), Tree.Canonical(WithoutHelmLabels(rendered.Raw)));
        }
        var bound = kustomize.Objects.Where(o => o.Kind.EndsWith("Binding", StringComparison.Ordinal))
            .Select(b => $"{Tree.Str(b.Raw, "roleRef.kind")}/{Tree.Str(b.Raw, "roleRef.name")}").ToHashSet();
        var needed = kustomize.Objects.Where(o => o.Kind != "Namespace" && (o.Kind is not ("Role" or "ClusterRole") || bound.Contains(o.Key)));
        Assert.All(needed, o => Assert.True(helm.Objects.Any(h => h.Key == o.Key), $"the overlay renders {o}, the chart does not"));
    }

    private static Dictionary<string, object?> WithoutHelmLabels(Dictionary<string, object?> raw)
    {
        var copy = Yaml.Document(new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(raw));
        var labels = Tree.Map(copy, "metadata.labels");
        foreach (var label in HelmLabels)
            labels.Remove(label);
        return copy;
    }

    [GeneratedRegex(@"(?:\.Values|\$v)\.(?<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex ValuesReference();
}
