using System.Net;
using System.Text;
using System.Text.Json;

namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// Just enough of a Kubernetes API server for <c>helm template --dry-run=server</c>: discovery
/// of the kinds the chart renders, and GET of the objects given, so that the chart's
/// <c>lookup</c> sees them. Everything else is 404. Plain HTTP on loopback; a kubeconfig points at it.
/// </summary>
public sealed class FakeApiServer : IDisposable
{
    private static readonly (string GroupVersion, string Resource, string Kind, bool Namespaced)[] Kinds =
    [
        ("v1", "serviceaccounts", "ServiceAccount", true),
        ("v1", "namespaces", "Namespace", false),
        ("apps/v1", "daemonsets", "DaemonSet", true),
        ("apps/v1", "deployments", "Deployment", true),
        ("storage.k8s.io/v1", "csidrivers", "CSIDriver", false),
        ("storage.k8s.io/v1", "storageclasses", "StorageClass", false),
        ("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", false),
        ("rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding", false),
        ("rbac.authorization.k8s.io/v1", "roles", "Role", true),
        ("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", true),
        ("snapshot.storage.k8s.io/v1", "volumesnapshotclasses", "VolumeSnapshotClass", false),
        ("groupsnapshot.storage.k8s.io/v1", "volumegroupsnapshotclasses", "VolumeGroupSnapshotClass", false),
    ];

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _routes = new(StringComparer.Ordinal);
    private readonly Task _serving;

    /// <param name="objects">cluster-scoped objects by API path, e.g. /apis/storage.k8s.io/v1/csidrivers/NAME.</param>
    public FakeApiServer(string kubeconfigPath, IReadOnlyDictionary<string, object> objects)
    {
        var port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        AddDiscovery();
        foreach (var (path, body) in objects)
            _routes[path] = JsonSerializer.Serialize(body);
        File.WriteAllText(kubeconfigPath, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: fake, cluster: {server: "http://127.0.0.1:{{{port}}}"}}]
            users: [{name: fake, user: {}}]
            contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: loam}}]
            current-context: fake
            """);
        _serving = Task.Run(ServeAsync);
    }

    private void AddDiscovery()
    {
        _routes["/version"] = """{"major":"1","minor":"30","gitVersion":"v1.30.0"}""";
        _routes["/api"] = """{"kind":"APIVersions","versions":["v1"]}""";
        var groups = Kinds.Select(k => k.GroupVersion).Where(gv => gv.Contains('/', StringComparison.Ordinal)).Distinct()
            .Select(gv => new { name = gv.Split('/')[0], versions = new[] { new { groupVersion = gv, version = "v1" } }, preferredVersion = new { groupVersion = gv, version = "v1" } });
        _routes["/apis"] = JsonSerializer.Serialize(new { kind = "APIGroupList", apiVersion = "v1", groups });
        foreach (var group in Kinds.GroupBy(k => k.GroupVersion))
        {
            var resources = group.Select(k => new
            {
                name = k.Resource, singularName = k.Kind.ToLowerInvariant(), namespaced = k.Namespaced, kind = k.Kind,
                verbs = new[] { "get", "list", "create", "update", "patch", "delete" },
            });
            var path = group.Key == "v1" ? "/api/v1" : "/apis/" + group.Key;
            _routes[path] = JsonSerializer.Serialize(new { kind = "APIResourceList", groupVersion = group.Key, resources });
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var found = _routes.TryGetValue(context.Request.Url!.AbsolutePath, out var body);
            body ??= """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
