using Loam.Tests.Deploy.Tools;
using static Loam.Tests.Deploy.Tools.PodContainer;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>
/// Whether the objects of one Kubernetes install agree with each other and with what
/// `loam serve` and the kubelet expect. Used for every kustomization and chart rendering;
/// returns every disagreement, so one run names them all.
/// </summary>
public static class KubernetesDeployment
{
    public const string SidecarRegistry = "registry.k8s.io/sig-storage/";

    /// <summary>The environment `loam serve` reads (ServeCommand): the manifests may pass no other.</summary>
    public static readonly string[] DriverEnvironment = ["CSI_ENDPOINT", "KUBE_NODE_NAME", "LOAM_POOLS", "LOAM_MODE"];

    public static IReadOnlyList<string> Problems(ManifestSet set, string mode, string kubeletDir = "/var/lib/kubelet")
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
                problems.Add(problem);
        }

        var driver = set.Single("CSIDriver");
        var driverName = driver.Name;
        var local = mode == "local";
        Check(Tree.Str(driver.Raw, "spec.attachRequired") == (local ? "false" : "true"), $"CSIDriver attachRequired must be {!local} in mode {mode}");
        Check(Tree.Str(driver.Raw, "spec.podInfoOnMount") == "true", "CSIDriver podInfoOnMount must be true");
        Check(Tree.Str(driver.Raw, "spec.fsGroupPolicy") == "File", "CSIDriver fsGroupPolicy must be File");
        Check(Tree.Strings(driver.Raw, "spec.volumeLifecycleModes").Order().SequenceEqual(["Ephemeral", "Persistent"]), "CSIDriver must allow Persistent and Ephemeral volumes");

        foreach (var sc in set.OfKind("StorageClass"))
        {
            Check(Tree.Str(sc.Raw, "provisioner") == driverName, $"{sc}: provisioner is not {driverName}");
            Check(Tree.Str(sc.Raw, "volumeBindingMode") == "WaitForFirstConsumer", $"{sc}: must bind WaitForFirstConsumer");
            Check(Tree.Str(sc.Raw, "allowVolumeExpansion") == "true", $"{sc}: must allow volume expansion");
            Check(Tree.Str(sc.Raw, "parameters.pool") is not null, $"{sc}: names no pool");
            foreach (var key in Tree.Map(sc.Raw, "parameters").Keys)
                Check(key is "pool" or "provisioning" || key.StartsWith("csi.storage.k8s.io/", StringComparison.Ordinal), $"{sc}: parameter {key} is not one Loam accepts");
        }
        Check(set.OfKind("StorageClass").Any(), "no StorageClass");
        foreach (var vsc in set.OfKind("VolumeSnapshotClass"))
        {
            Check(Tree.Str(vsc.Raw, "driver") == driverName, $"{vsc}: driver is not {driverName}");
            Check(vsc.Namespace is null, $"{vsc}: a VolumeSnapshotClass is cluster-scoped, yet has namespace {vsc.Namespace}");
        }

        var groupClasses = set.OfKind("VolumeGroupSnapshotClass").ToList();
        foreach (var vgsc in groupClasses)
        {
            Check(Tree.Str(vgsc.Raw, "driver") == driverName, $"{vgsc}: driver is not {driverName}");
            Check(Tree.Str(vgsc.Raw, "apiVersion") == SidecarPermissions.GroupSnapshotApi + "/v1", $"{vgsc}: apiVersion must be {SidecarPermissions.GroupSnapshotApi}/v1, the version csi-snapshotter v8.7 reads");
            Check(vgsc.Namespace is null, $"{vgsc}: a VolumeGroupSnapshotClass is cluster-scoped, yet has namespace {vgsc.Namespace}");
        }
        foreach (var (workload, snapshotter) in set.Containers.Where(c => Name(c.Container) == "csi-snapshotter"))
        {
            var gate = FeatureGate(snapshotter, "CSIVolumeGroupSnapshot");
            Check(gate == (groupClasses.Count > 0),
                $"{workload} container csi-snapshotter: --feature-gates=CSIVolumeGroupSnapshot is {gate?.ToString() ?? "unset"}; it must say {groupClasses.Count > 0} exactly as a VolumeGroupSnapshotClass is {(groupClasses.Count > 0 ? "" : "not ")}installed");
        }

        var loamContainers = set.Containers.Where(c => Name(c.Container) == "loam").ToList();
        var expectedWorkloads = local ? new[] { "DaemonSet/loam-node" } : ["DaemonSet/loam-node", "Deployment/loam-controller"];
        Check(set.Workloads.Select(w => w.Key).Order().SequenceEqual(expectedWorkloads.Order()), $"workloads are {string.Join(", ", set.Workloads)}; mode {mode} needs {string.Join(", ", expectedWorkloads)}");

        var storageClassPools = set.OfKind("StorageClass").Select(sc => Tree.Str(sc.Raw, "parameters.pool")).ToHashSet();
        foreach (var (workload, loam) in loamContainers)
        {
            var pod = workload.PodSpec!;
            var isNode = workload.Kind == "DaemonSet";
            var where = $"{workload} container loam";
            Check(Flag(loam, "--driver-name") == driverName, $"{where}: --driver-name is not {driverName}");
            Check(Tree.Strings(loam, "args").FirstOrDefault() == "serve", $"{where}: the first argument must be serve");
            foreach (var env in Tree.Maps(loam, "env"))
                Check(DriverEnvironment.Contains(Tree.Str(env, "name")), $"{where}: env {Tree.Str(env, "name")} is not one loam serve reads");
            Check(EnvFieldRef(loam, "KUBE_NODE_NAME") == "spec.nodeName", $"{where}: KUBE_NODE_NAME must come from spec.nodeName");
            var expectedMode = isNode ? (local ? "all" : "node") : "controller";
            Check(EnvValue(loam, "LOAM_MODE") == expectedMode, $"{where}: LOAM_MODE must be {expectedMode}");

            // The socket: the driver listens where every sidecar of the pod connects.
            var endpoint = EnvValue(loam, "CSI_ENDPOINT") ?? "";
            Check(endpoint.StartsWith("unix:///", StringComparison.Ordinal), $"{where}: CSI_ENDPOINT '{endpoint}' is not unix:///PATH");
            var socketPath = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;
            var socketMount = MountCovering(loam, socketPath);
            var socketVolume = Tree.Str(socketMount, "name");
            Check(socketVolume is not null, $"{where}: no volume holds the socket {socketPath}");
            var socketFile = socketPath[(socketPath.LastIndexOf('/') + 1)..];
            foreach (var sidecar in Tree.Maps(pod, "containers").Where(c => Name(c) != "loam"))
            {
                var address = Flag(sidecar, "--csi-address");
                var mount = address is null ? null : MountCovering(sidecar, address);
                Check(address is not null && Tree.Str(mount, "name") == socketVolume
                        && address[Tree.Str(mount, "mountPath")!.Length..].TrimStart('/') == socketPath[Tree.Str(socketMount, "mountPath")!.Length..].TrimStart('/'),
                    $"{workload} container {Name(sidecar)}: --csi-address {address} is not the driver's socket {socketPath} (volume {socketVolume})");
                var image = Image(sidecar);
                Check(image.StartsWith(SidecarRegistry, StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(image, @":v\d+\.\d+\.\d+$"),
                    $"{workload} container {Name(sidecar)}: image {image} is not a pinned {SidecarRegistry} release");
            }

            // Health: the kubelet probes the livenessprobe sidecar's port; readiness is the driver's /readyz.
            var healthPort = ContainerPort(loam, "healthz");
            var liveness = Tree.Maps(pod, "containers").FirstOrDefault(c => Name(c) == "liveness-probe");
            Check(liveness is not null && Flag(liveness, "--health-port") == healthPort?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{where}: port healthz ({healthPort}) is not the liveness-probe's --health-port");
            Check(Tree.Str(loam, "livenessProbe.httpGet.port") == "healthz" && Tree.Str(loam, "livenessProbe.httpGet.path") == "/healthz", $"{where}: liveness probe must GET /healthz on port healthz");
            var http = Flag(loam, "--http-endpoint");
            var metricsPort = ContainerPort(loam, "http-metrics");
            Check(http is not null && metricsPort is not null && http.EndsWith(":" + metricsPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
                $"{where}: --http-endpoint {http} is not port http-metrics ({metricsPort})");
            Check(Tree.Str(loam, "readinessProbe.httpGet.path") == "/readyz" && Tree.Str(loam, "readinessProbe.httpGet.port") == "http-metrics", $"{where}: readiness probe must GET /readyz on port http-metrics");
            if (Tree.Str(workload.Raw, "spec.template.metadata.annotations.prometheus.io/port") is { } scrapePort)
                Check(scrapePort == metricsPort?.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{workload}: prometheus.io/port {scrapePort} is not the metrics port {metricsPort}");

            // Pools: every pool path is seen through a hostPath mount at the same path, so loop
            // devices' backing files read the same inside and outside the container.
            var pools = PoolSpec.ParseAll(EnvValue(loam, "LOAM_POOLS") ?? "");
            Check(pools.Count > 0, $"{where}: LOAM_POOLS names no pool");
            foreach (var pool in pools)
            {
                var mount = MountCovering(loam, pool.Path);
                var hostPath = Tree.Str(mount, "name") is { } volume ? HostPath(pod, volume) : null;
                Check(mount is not null && hostPath == Tree.Str(mount, "mountPath"), $"{where}: pool {pool} is not under a hostPath mounted at its own path");
                Check(Tree.Str(mount, "mountPropagation") is "HostToContainer" or "Bidirectional", $"{where}: pool {pool.Name} mount must see later host mounts (HostToContainer)");
                Check(pool.Shared == !local, $"{where}: pool {pool} must {(local ? "not " : "")}be shared in mode {mode}");
            }
            foreach (var wanted in storageClassPools)
                Check(pools.Any(p => p.Name == wanted), $"{where}: a StorageClass names pool {wanted}, which LOAM_POOLS lacks");

            if (!isNode)
                continue;
            Check(Tree.Str(loam, "securityContext.privileged") == "true", $"{where}: the node plugin must be privileged");
            Check(Flag(loam, "--allowed-root") == kubeletDir, $"{where}: --allowed-root must be the kubelet dir {kubeletDir}");
            foreach (var dir in new[] { "pods", "plugins" })
            {
                var path = $"{kubeletDir}/{dir}";
                var mount = Mounts(loam).FirstOrDefault(m => Tree.Str(m, "mountPath") == path);
                Check(mount is not null && HostPath(pod, Tree.Str(mount, "name")!) == path && Tree.Str(mount, "mountPropagation") == "Bidirectional",
                    $"{where}: {path} must be the host's, mounted at the same path with Bidirectional propagation");
            }
            var dev = Mounts(loam).FirstOrDefault(m => Tree.Str(m, "mountPath") == "/dev");
            Check(dev is not null && HostPath(pod, Tree.Str(dev, "name")!) == "/dev", $"{where}: the host's /dev must be mounted at /dev (new loop devices appear there)");
            var socketHost = HostPath(pod, socketVolume ?? "");
            Check(socketHost == $"{kubeletDir}/plugins/{driverName}", $"{workload}: the socket folder {socketHost} must be {kubeletDir}/plugins/{driverName}");
            var registrar = Tree.Maps(pod, "containers").FirstOrDefault(c => Name(c) == "node-driver-registrar");
            Check(registrar is not null, $"{workload}: no node-driver-registrar");
            if (registrar is not null)
            {
                Check(Flag(registrar, "--kubelet-registration-path") == $"{socketHost}/{socketFile}", $"{workload}: --kubelet-registration-path is not the socket's host path {socketHost}/{socketFile}");
                var registration = Mounts(registrar).FirstOrDefault(m => Tree.Str(m, "mountPath") == "/registration");
                Check(registration is not null && HostPath(pod, Tree.Str(registration, "name")!) == $"{kubeletDir}/plugins_registry",
                    $"{workload}: node-driver-registrar must see {kubeletDir}/plugins_registry at /registration");
            }
        }

        // Which sidecars run where: attach only with a shared pool, node-deployed sidecars in local mode.
        var sidecars = set.Containers.Where(c => Name(c.Container) != "loam").ToList();
        Check(sidecars.Any(c => Name(c.Container) == "csi-attacher") == !local, $"csi-attacher must run exactly when attachRequired (mode {mode})");
        var capacity = sidecars.Any(c => Name(c.Container) == "csi-provisioner" && FlagIsTrue(c.Container, "--enable-capacity"));
        Check(Tree.Str(driver.Raw, "spec.storageCapacity") == (capacity ? "true" : "false"), "CSIDriver storageCapacity must be true exactly when a provisioner publishes capacity");
        foreach (var (workload, sidecar) in sidecars)
        {
            var name = Name(sidecar);
            var nodeDeployed = FlagIsTrue(sidecar, "--node-deployment");
            Check(nodeDeployed == (local && workload.Kind == "DaemonSet" && name is "csi-provisioner" or "csi-snapshotter"),
                $"{workload} container {name}: --node-deployment is {nodeDeployed}, wrong for mode {mode}");
            if (nodeDeployed)
            {
                Check(EnvFieldRef(sidecar, "NODE_NAME") == "spec.nodeName", $"{workload} container {name}: node deployment needs NODE_NAME from spec.nodeName");
                Check(Flag(sidecar, "--leader-election") != "true", $"{workload} container {name}: a node-deployed sidecar must not elect a leader");
            }
            if (name == "csi-provisioner")
            {
                Check(Flag(sidecar, "--strict-topology") == "true", $"{workload} container {name}: needs --strict-topology=true (volumes are node-local)");
                if (FlagIsTrue(sidecar, "--enable-capacity"))
                    Check(EnvFieldRef(sidecar, "NAMESPACE") == "metadata.namespace" && EnvFieldRef(sidecar, "POD_NAME") == "metadata.name",
                        $"{workload} container {name}: --enable-capacity needs NAMESPACE and POD_NAME");
            }
        }
        return problems;
    }
}
