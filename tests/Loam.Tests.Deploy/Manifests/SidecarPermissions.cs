using Loam.Tests.Deploy.Tools;
using static Loam.Tests.Deploy.Tools.PodContainer;

namespace Loam.Tests.Deploy.Manifests;

/// <summary>One permission: verbs on a resource of an API group, cluster-wide or in the pod's namespace.</summary>
public sealed record Permission(string Group, string Resource, string[] Verbs, bool Namespaced = false)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource} [{string.Join(",", Verbs)}]{(Namespaced ? " in the pod's namespace" : "")}";
}

/// <summary>
/// What each CSI sidecar needs from the API server, as its own RBAC file documents, depending
/// on its flags; and the permissions a service account really has through its bindings.
/// </summary>
public static class SidecarPermissions
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly Permission[] LeaderElection = [new("coordination.k8s.io", "leases", ["get", "watch", "list", "delete", "update", "create"], Namespaced: true)];

    public const string GroupSnapshotApi = "groupsnapshot.storage.k8s.io";

    /// <summary>
    /// Whether a csi-snapshotter watches group snapshot objects: its CSIVolumeGroupSnapshot
    /// feature gate, which v8.7 turns on when the flag does not say otherwise.
    /// </summary>
    public static bool GroupSnapshotsOn(Dictionary<string, object?> container) =>
        FeatureGate(container, "CSIVolumeGroupSnapshot") ?? true;

    /// <summary>The permissions the container's sidecar needs with the flags it is given.</summary>
    public static IReadOnlyList<Permission> Needed(Dictionary<string, object?> container)
    {
        var needs = new List<Permission>();
        var name = Name(container);
        switch (name)
        {
            case "loam":
            case "node-driver-registrar":
            case "liveness-probe":
                return needs;
            case "csi-provisioner":
                needs.AddRange([
                    new("", "persistentvolumes", ["get", "list", "watch", "create", "delete"]),
                    new("", "persistentvolumeclaims", ["get", "list", "watch", "update"]),
                    new("storage.k8s.io", "storageclasses", Read),
                    new("", "events", ["create", "patch"]),
                    new("snapshot.storage.k8s.io", "volumesnapshots", ["get", "list"]),
                    new("snapshot.storage.k8s.io", "volumesnapshotcontents", ["get", "list"]),
                    new("storage.k8s.io", "csinodes", Read),
                    new("", "nodes", Read),
                ]);
                if (FlagIsTrue(container, "--enable-capacity"))
                {
                    needs.Add(new("storage.k8s.io", "csistoragecapacities", ["get", "list", "watch", "create", "update", "patch", "delete"], Namespaced: true));
                    needs.Add(new("", "pods", ["get"], Namespaced: true));
                }
                break;
            case "csi-attacher":
                needs.AddRange([
                    new("", "persistentvolumes", ["get", "list", "watch", "update", "patch"]),
                    new("", "nodes", Read),
                    new("storage.k8s.io", "csinodes", Read),
                    new("storage.k8s.io", "volumeattachments", ["get", "list", "watch", "update", "patch"]),
                    new("storage.k8s.io", "volumeattachments/status", ["patch"]),
                ]);
                break;
            case "csi-resizer":
                needs.AddRange([
                    new("", "persistentvolumes", ["get", "list", "watch", "patch"]),
                    new("", "persistentvolumeclaims", Read),
                    new("", "persistentvolumeclaims/status", ["patch"]),
                    new("", "events", ["create", "patch"]),
                ]);
                break;
            case "csi-snapshotter":
                needs.AddRange([
                    new("snapshot.storage.k8s.io", "volumesnapshotclasses", Read),
                    new("snapshot.storage.k8s.io", "volumesnapshotcontents", ["create", "get", "list", "watch", "update", "patch"]),
                    new("snapshot.storage.k8s.io", "volumesnapshotcontents/status", ["update", "patch"]),
                    new("", "events", ["create", "patch"]),
                ]);
                if (GroupSnapshotsOn(container))
                {
                    needs.AddRange([
                        new(GroupSnapshotApi, "volumegroupsnapshotclasses", Read),
                        new(GroupSnapshotApi, "volumegroupsnapshotcontents", ["get", "list", "watch", "update", "patch"]),
                        new(GroupSnapshotApi, "volumegroupsnapshotcontents/status", ["update", "patch"]),
                    ]);
                }
                break;
            default:
                throw new InvalidOperationException($"container {name} is a sidecar this test does not know: add what it needs");
        }
        if (Flag(container, "--leader-election") == "true")
            needs.AddRange(LeaderElection);
        return needs;
    }

    /// <summary>Every need of the pod's containers that the pod's service account lacks.</summary>
    public static IEnumerable<string> Missing(ManifestSet set, K8sObject workload)
    {
        var pod = workload.PodSpec!;
        var account = Tree.Str(pod, "serviceAccountName") ?? "default";
        var ns = workload.Namespace ?? "default";
        if (!set.OfKind("ServiceAccount").Any(sa => sa.Name == account && sa.Namespace == ns))
            yield return $"{workload}: service account {ns}/{account} does not exist";
        var clusterRules = new List<Dictionary<string, object?>>();
        var namespaceRules = new List<Dictionary<string, object?>>();
        foreach (var binding in set.Objects.Where(o => o.Kind is "ClusterRoleBinding" or "RoleBinding"))
        {
            var bindsAccount = Tree.Maps(binding.Raw, "subjects").Any(s =>
                Tree.Str(s, "kind") == "ServiceAccount" && Tree.Str(s, "name") == account && Tree.Str(s, "namespace") == ns);
            if (!bindsAccount)
                continue;
            var roleKind = Tree.Str(binding.Raw, "roleRef.kind");
            var roleName = Tree.Str(binding.Raw, "roleRef.name");
            var role = set.Objects.FirstOrDefault(o => o.Kind == roleKind && o.Name == roleName && (roleKind == "ClusterRole" || o.Namespace == binding.Namespace));
            if (role is null)
            {
                yield return $"{binding}: binds {account} to {roleKind} {roleName}, which does not exist";
                continue;
            }
            var rules = Tree.Maps(role.Raw, "rules");
            if (binding.Kind == "ClusterRoleBinding")
                clusterRules.AddRange(rules);
            else if (binding.Namespace == ns)
                namespaceRules.AddRange(rules);
        }
        foreach (var container in Tree.Maps(pod, "containers"))
        {
            foreach (var need in Needed(container))
            {
                var rules = need.Namespaced ? clusterRules.Concat(namespaceRules) : clusterRules;
                var lacking = need.Verbs.Where(verb => !rules.Any(rule => Grants(rule, need.Group, need.Resource, verb))).ToList();
                if (lacking.Count > 0)
                    yield return $"{workload} container {Name(container)} needs {need}; {account} lacks {string.Join(",", lacking)}";
            }
        }
    }

    private static bool Grants(Dictionary<string, object?> rule, string group, string resource, string verb) =>
        Tree.Strings(rule, "apiGroups").Any(g => g == group || g == "*")
        && Tree.Strings(rule, "resources").Any(r => r == resource || r == "*")
        && Tree.Strings(rule, "verbs").Any(v => v == verb || v == "*");
}
