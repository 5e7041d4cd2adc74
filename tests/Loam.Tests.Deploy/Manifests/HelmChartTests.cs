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

    /// <summary>
    /// A mode change flips the CSIDriver's immutable attachRequired. Against a (fake) API server
    /// that holds the installed CSIDriver, the chart's lookup refuses the change before
    /// anything is applied, and renders when the mode stays. helm template alone has no cluster,
    /// so the check is exercised through --dry-run=server.
    /// </summary>
    [Theory]
    [InlineData(false, "shared", true)]
    [InlineData(true, "local", true)]
    [InlineData(false, "local", false)]
    public void A_mode_change_is_refused_up_front_against_the_installed_CSIDriver(bool attachRequired, string mode, bool refused)
    {
        using var root = new TestRoot("helm-lookup");
        var kubeconfig = root.Combine("kubeconfig");
        // As the release installed it: owned by release loam.
        var metadata = new Dictionary<string, object>
        {
            ["name"] = DeployFiles.DriverName,
            ["labels"] = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "Helm" },
            ["annotations"] = new Dictionary<string, string> { ["meta.helm.sh/release-name"] = "loam", ["meta.helm.sh/release-namespace"] = "loam" },
        };
        var driver = new { apiVersion = "storage.k8s.io/v1", kind = "CSIDriver", metadata, spec = new { attachRequired } };
        using var api = new FakeApiServer(kubeconfig, new Dictionary<string, object> { [$"/apis/storage.k8s.io/v1/csidrivers/{DeployFiles.DriverName}"] = driver });
        string[] values = mode == "shared" ? SharedPool : [];

        var result = ToolRun.Run(Helm.Path, ["template", "loam", DeployFiles.Chart, "--namespace", "loam", "--dry-run=server",
            "--disable-openapi-validation", "--kubeconfig", kubeconfig, .. values]);

        Assert.True(refused == (result.ExitCode != 0), result.Error);
        if (refused)
            Assert.Contains($"mode {mode} needs CSIDriver {DeployFiles.DriverName} with attachRequired={(!attachRequired).ToString().ToLowerInvariant()}, but the cluster's has", result.Error, StringComparison.Ordinal);
        else
            Assert.Contains("kind: CSIDriver", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_tracking_can_be_switched_off_with_its_flag_role_and_CSIDriver_field()
    {
        var set = Helm.Template(DeployFiles.Chart, "--set", "capacityTracking.enabled=false");
        var provisioner = set.Containers.Single(c => PodContainer.Name(c.Container) == "csi-provisioner");

        Assert.Equal("--enable-capacity=false", Assert.Single(PodContainer.Args(provisioner.Container), a => a.StartsWith("--enable-capacity", StringComparison.Ordinal)));
        Assert.Equal("false", Tree.Str(set.OfKind("CSIDriver").Single().Raw, "spec.storageCapacity"));
        Assert.DoesNotContain(set.Objects, o => o.Name.Contains("capacity", StringComparison.Ordinal));
        Assert.Empty(KubernetesDeployment.Problems(set, "local"));
        Assert.Empty(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void The_sidecar_pull_policy_reaches_every_sidecar_and_not_the_driver(string mode)
    {
        string[] values = ["--set", "sidecars.pullPolicy=Always", .. mode == "shared" ? SharedPool : []];

        var set = Helm.Template(DeployFiles.Chart, values);

        var sidecars = set.Containers.Where(c => PodContainer.Name(c.Container) != "loam").ToList();
        Assert.Contains(sidecars, c => PodContainer.Name(c.Container) == "csi-resizer");
        Assert.All(sidecars, c => Assert.Equal("Always", Tree.Str(c.Container, "imagePullPolicy")));
        Assert.All(set.Containers.Where(c => PodContainer.Name(c.Container) == "loam"), c => Assert.Equal("IfNotPresent", Tree.Str(c.Container, "imagePullPolicy")));
    }

    [Theory]
    [InlineData("1.20.0", true)]
    [InlineData("1.19.16", false)]
    public void The_chart_installs_from_Kubernetes_1_20(string version, bool renders)
    {
        var result = Helm.Run("template", "loam", DeployFiles.Chart, "--kube-version", version);

        Assert.Equal(renders, result.ExitCode == 0);
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
