using Loam.Tests.Deploy.Tools;

namespace Loam.Tests.Deploy.Manifests;

public sealed class KustomizeTests
{
    private static IReadOnlyList<string> KustomizationDirectories() =>
    [
        .. Directory.EnumerateFiles(DeployFiles.Kubernetes, "kustomization.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(DeployFiles.Kubernetes, Path.GetDirectoryName(file)!))
            .Order(StringComparer.Ordinal),
    ];

    public static TheoryData<string> Kustomizations() => [.. KustomizationDirectories()];

    [Fact]
    public void The_kustomizations_found_are_the_base_both_overlays_the_examples_and_the_default()
    {
        Assert.Equal([".", "base", "examples", "overlays/local", "overlays/shared"], KustomizationDirectories());
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_kustomization_builds_with_kubectl(string directory)
    {
        var set = Kubectl.Kustomize(Path.Combine(DeployFiles.Kubernetes, directory));

        Assert.NotEmpty(set.Objects);
        Assert.All(set.Objects, o => Assert.False(string.IsNullOrEmpty(o.Name), $"an object of kind {o.Kind} has no name"));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void An_overlays_objects_agree_with_each_other_and_with_loam_serve(string overlay)
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay(overlay));

        Assert.Empty(KubernetesDeployment.Problems(set, overlay));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void Every_sidecar_has_the_permissions_its_flags_need(string overlay)
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay(overlay));

        Assert.Empty(set.Workloads.SelectMany(w => SidecarPermissions.Missing(set, w)));
    }

    [Fact]
    public void The_consistency_check_notices_a_registration_path_that_is_not_the_socket()
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay("local"));
        var registrar = set.Containers.Single(c => PodContainer.Name(c.Container) == "node-driver-registrar").Container;
        var args = Tree.List(registrar, "args");
        args[args.FindIndex(a => ((string)a!).StartsWith("--kubelet-registration-path=", StringComparison.Ordinal))] = "--kubelet-registration-path=/var/lib/kubelet/plugins/other/csi.sock";

        Assert.Contains(KubernetesDeployment.Problems(set, "local"), p => p.Contains("--kubelet-registration-path", StringComparison.Ordinal));
    }

    [Fact]
    public void The_permission_check_notices_a_sidecar_without_its_role()
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay("local"));
        var trimmed = new ManifestSet(set.Objects.Where(o => o.Name != "loam-node-snapshotter").Select(o => o.Raw));

        Assert.Contains(trimmed.Workloads.SelectMany(w => SidecarPermissions.Missing(trimmed, w)), p => p.Contains("csi-snapshotter", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_install_is_the_local_overlay()
    {
        var root = Kubectl.Kustomize(DeployFiles.Kubernetes);
        var local = Kubectl.Kustomize(DeployFiles.Overlay("local"));

        Assert.Equal(Tree.Canonical(local.Objects.Select(o => (object?)o.Raw).ToList()), Tree.Canonical(root.Objects.Select(o => (object?)o.Raw).ToList()));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("shared")]
    public void The_driver_image_is_tagged_with_the_version_the_build_stamps(string overlay)
    {
        var set = Kubectl.Kustomize(DeployFiles.Overlay(overlay));

        Assert.All(set.Containers.Where(c => PodContainer.Name(c.Container) == "loam"),
            c => Assert.Equal($"loam:{DeployFiles.Version}", PodContainer.Image(c.Container)));
    }

    [Fact]
    public void Both_overlays_pin_the_same_sidecar_releases()
    {
        static Dictionary<string, string> Images(ManifestSet set) => set.Containers
            .Where(c => PodContainer.Name(c.Container) != "loam")
            .Select(c => PodContainer.Image(c.Container))
            .Distinct()
            .ToDictionary(i => i[..i.LastIndexOf(':')], i => i[(i.LastIndexOf(':') + 1)..]);

        var local = Images(Kubectl.Kustomize(DeployFiles.Overlay("local")));
        var shared = Images(Kubectl.Kustomize(DeployFiles.Overlay("shared")));

        foreach (var (image, tag) in local.Where(i => shared.ContainsKey(i.Key)))
            Assert.Equal((image, tag), (image, shared[image]));
        Assert.Contains(KubernetesDeployment.SidecarRegistry + "csi-attacher", shared.Keys);
        Assert.Contains(KubernetesDeployment.SidecarRegistry + "csi-resizer", shared.Keys);
    }

    [Fact]
    public void The_examples_use_the_classes_and_driver_loam_installs()
    {
        var local = Kubectl.Kustomize(DeployFiles.Overlay("local"));
        var examples = Kubectl.Kustomize(Path.Combine(DeployFiles.Kubernetes, "examples"));
        var storageClasses = local.OfKind("StorageClass").Select(o => o.Name).ToHashSet();
        var claims = examples.OfKind("PersistentVolumeClaim").ToList();

        Assert.All(claims, pvc => Assert.Contains(Tree.Str(pvc.Raw, "spec.storageClassName") ?? "", storageClasses));
        Assert.All(examples.OfKind("VolumeSnapshot"), s => Assert.Equal(local.Single("VolumeSnapshotClass").Name, Tree.Str(s.Raw, "spec.volumeSnapshotClassName")));
        Assert.All(claims.Where(c => Tree.Str(c.Raw, "spec.dataSource.name") is not null), pvc =>
            Assert.Contains(examples.Objects, o => o.Kind == Tree.Str(pvc.Raw, "spec.dataSource.kind") && o.Name == Tree.Str(pvc.Raw, "spec.dataSource.name")));
        Assert.Contains(claims, c => Tree.Str(c.Raw, "spec.volumeMode") == "Block");
        var inline = examples.OfKind("Pod").SelectMany(p => Tree.Maps(p.Raw, "spec.volumes")).Select(v => Tree.Map(v, "csi")).Single(csi => csi.Count > 0);
        Assert.Equal(local.Single("CSIDriver").Name, Tree.Str(inline, "driver"));
        Assert.All(Tree.Map(inline, "volumeAttributes").Keys, key => Assert.Contains(key, new[] { "size", "fsType" }));

        var grown = new ManifestSet(Yaml.Documents(DeployFiles.Read("kubernetes", "examples", "expand-pvc.yaml"))).Single("PersistentVolumeClaim");
        var original = examples.Get("PersistentVolumeClaim", grown.Name);
        Assert.Equal(Tree.Str(original.Raw, "spec.storageClassName"), Tree.Str(grown.Raw, "spec.storageClassName"));
        Assert.Equal(("1Gi", "2Gi"), (Tree.Str(original.Raw, "spec.resources.requests.storage"), Tree.Str(grown.Raw, "spec.resources.requests.storage")));
    }
}
