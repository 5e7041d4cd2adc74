using Loam.Tests.Deploy.Tools;
using static Loam.Tests.Deploy.Tools.PodContainer;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>
/// Group snapshots in Kubernetes: csi-snapshotter's CSIVolumeGroupSnapshot feature gate, the
/// RBAC it needs once on, the VolumeGroupSnapshotClass and the example, in both overlays and
/// the chart; and the chart's switch that turns all of it off.
/// </summary>
public sealed class GroupSnapshotTests
{
    private const string Gate = "CSIVolumeGroupSnapshot";
    private static readonly string[] SharedPool = ["--set", "mode=shared", "--set", "pools[0].name=default,pools[0].path=/mnt/loam-shared/pool"];

    private static ManifestSet Render(string source, string mode, params string[] values) => source == "kustomize"
        ? Kubectl.Kustomize(DeployFiles.Overlay(mode))
        : Helm.Template(DeployFiles.Chart, [.. mode == "shared" ? SharedPool : Array.Empty<string>(), .. values]);

    public static TheoryData<string, string> Installs() => new()
    {
        { "kustomize", "local" },
        { "kustomize", "shared" },
        { "helm", "local" },
        { "helm", "shared" },
    };

    [Theory]
    [MemberData(nameof(Installs))]
    public void Every_snapshotter_has_the_group_snapshot_gate_on(string source, string mode)
    {
        var snapshotters = Render(source, mode).Containers.Where(c => Name(c.Container) == "csi-snapshotter").ToList();

        Assert.NotEmpty(snapshotters);
        Assert.All(snapshotters, s => Assert.True(FeatureGate(s.Container, Gate) == true, $"{s.Workload}: csi-snapshotter args {string.Join(" ", Args(s.Container))}"));
    }

    [Theory]
    [MemberData(nameof(Installs))]
    public void The_snapshotters_account_may_do_everything_the_group_snapshot_gate_needs(string source, string mode)
    {
        var set = Render(source, mode);
        var snapshotter = set.Containers.First(c => Name(c.Container) == "csi-snapshotter").Container;
        var groupNeeds = SidecarPermissions.Needed(snapshotter).Where(n => n.Group == SidecarPermissions.GroupSnapshotApi).Select(n => n.Resource).Order();

        Assert.Equal(["volumegroupsnapshotclasses", "volumegroupsnapshotcontents", "volumegroupsnapshotcontents/status"], groupNeeds);
        Assert.Empty(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)));
    }

    [Fact]
    public void The_permission_check_notices_a_missing_group_snapshot_status_rule()
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay("shared"));
        var role = set.Get("ClusterRole", "loam-external-snapshotter");
        var rules = Tree.List(role.Raw, "rules");
        rules.RemoveAll(r => Tree.Strings(r, "resources").Contains("volumegroupsnapshotcontents/status"));

        Assert.Contains(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)),
            p => p.Contains("volumegroupsnapshotcontents/status", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Installs))]
    public void One_volume_group_snapshot_class_names_the_driver(string source, string mode)
    {
        var set = Render(source, mode);
        var vgsc = set.Single("VolumeGroupSnapshotClass");

        Assert.Equal("loam.csi.dev", Tree.Str(vgsc.Raw, "driver"));
        Assert.Equal(set.Single("CSIDriver").Name, Tree.Str(vgsc.Raw, "driver"));
        Assert.Equal("groupsnapshot.storage.k8s.io/v1", Tree.Str(vgsc.Raw, "apiVersion"));
        Assert.Contains(Tree.Str(vgsc.Raw, "deletionPolicy"), new[] { "Delete", "Retain" });
        Assert.Null(vgsc.Namespace);
    }

    [Fact]
    public void The_chart_renders_the_overlays_class_and_snapshotter_args()
    {
        foreach (var mode in new[] { "local", "shared" })
        {
            var kustomize = Render("kustomize", mode);
            var helm = Render("helm", mode);
            var helmClass = helm.Single("VolumeGroupSnapshotClass").Raw;
            Tree.Map(helmClass, "metadata.labels").Remove("helm.sh/chart");
            Tree.Map(helmClass, "metadata.labels").Remove("app.kubernetes.io/managed-by");
            Tree.Map(helmClass, "metadata.labels").Remove("app.kubernetes.io/instance");

            Assert.Equal(Tree.Canonical(kustomize.Single("VolumeGroupSnapshotClass").Raw), Tree.Canonical(helmClass));
            Assert.Equal(Args(kustomize.Containers.Single(c => Name(c.Container) == "csi-snapshotter").Container),
                Args(helm.Containers.Single(c => Name(c.Container) == "csi-snapshotter").Container));
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void Switched_off_the_chart_turns_the_gate_off_and_drops_the_class_and_the_rules(string mode)
    {
        var set = Render("helm", mode, "--set", "groupSnapshots.enabled=false");
        var snapshotter = set.Containers.Single(c => Name(c.Container) == "csi-snapshotter").Container;
        var role = set.Get("ClusterRole", "loam-external-snapshotter");

        Assert.Empty(set.OfKind("VolumeGroupSnapshotClass"));
        Assert.False(FeatureGate(snapshotter, Gate));
        Assert.DoesNotContain(Tree.Maps(role.Raw, "rules"), r => Tree.Strings(r, "apiGroups").Contains(SidecarPermissions.GroupSnapshotApi));
        Assert.Single(set.OfKind("VolumeSnapshotClass"));
        Assert.Empty(KubernetesDeployment.Problems(set, mode));
        Assert.Empty(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)));
    }

    [Fact]
    public void The_consistency_check_notices_a_class_without_the_gate()
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay("local"));
        var snapshotter = set.Containers.Single(c => Name(c.Container) == "csi-snapshotter").Container;
        Tree.List(snapshotter, "args").RemoveAll(a => ((string)a!).StartsWith("--feature-gates=", StringComparison.Ordinal));

        Assert.Contains(KubernetesDeployment.Problems(set, "local"), p => p.Contains(Gate, StringComparison.Ordinal));
    }

    [Fact]
    public void The_group_snapshot_example_selects_two_claims_a_pod_binds_with_the_installed_class()
    {
        var local = Kubectl.Kustomize(DeployFiles.Overlay("local"));
        var example = new ManifestSet(Yaml.Documents(DeployFiles.Read("kubernetes", "examples", "group-snapshot.yaml")));
        var all = Kubectl.Kustomize(Path.Combine(DeployFiles.Kubernetes, "examples"));
        var group = example.Single("VolumeGroupSnapshot");
        var selector = Tree.Map(group.Raw, "spec.source.selector.matchLabels");
        var members = example.OfKind("PersistentVolumeClaim")
            .Where(pvc => selector.All(l => Tree.Str(pvc.Raw, $"metadata.labels.{l.Key}") == (string?)l.Value))
            .ToList();
        var mounted = example.OfKind("Pod").SelectMany(p => Tree.Maps(p.Raw, "spec.volumes"))
            .Select(v => Tree.Str(v, "persistentVolumeClaim.claimName")).ToHashSet();

        Assert.Equal(local.Single("VolumeGroupSnapshotClass").Name, Tree.Str(group.Raw, "spec.volumeGroupSnapshotClassName"));
        Assert.Equal(Tree.Str(local.Single("VolumeGroupSnapshotClass").Raw, "apiVersion"), Tree.Str(group.Raw, "apiVersion"));
        Assert.NotEmpty(selector);
        Assert.Equal(2, members.Count);
        Assert.All(members, pvc => Assert.Contains(Tree.Str(pvc.Raw, "spec.storageClassName"), local.OfKind("StorageClass").Select(sc => sc.Name)));
        Assert.All(members, pvc => Assert.Contains(pvc.Name, mounted));
        Assert.All(members, pvc => Assert.Equal(group.Namespace, pvc.Namespace));
        // Only the example's own claims carry the label: applying every example at once groups nothing else.
        Assert.Equal(members.Select(m => m.Name).Order(), all.OfKind("PersistentVolumeClaim")
            .Where(pvc => selector.All(l => Tree.Str(pvc.Raw, $"metadata.labels.{l.Key}") == (string?)l.Value)).Select(p => p.Name).Order());
        Assert.Contains(all.Objects, o => o.Kind == "VolumeGroupSnapshot" && o.Name == group.Name);
    }

    [Fact]
    public void The_readme_asks_the_cluster_for_what_the_manifests_need()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var vgsc = Kubectl.Kustomize(DeployFiles.Overlay("shared")).Single("VolumeGroupSnapshotClass");

        Assert.Contains($"--feature-gates={Gate}=true", readme, StringComparison.Ordinal);
        Assert.Contains($"`{Tree.Str(vgsc.Raw, "apiVersion")}`", readme, StringComparison.Ordinal);
        Assert.Contains("groupSnapshots", readme, StringComparison.Ordinal);
    }
}
