namespace Loam.Tests.Deploy.Tools;

/// <summary>The objects one kustomization or one chart rendering produced.</summary>
public sealed class ManifestSet(IEnumerable<Dictionary<string, object?>> documents)
{
    public IReadOnlyList<K8sObject> Objects { get; } = [.. documents.Select(d => new K8sObject(d))];

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public K8sObject Single(string kind) =>
        OfKind(kind).ToList() is [var only] ? only : throw new InvalidOperationException($"expected one {kind}, found {OfKind(kind).Count()}");

    public K8sObject Get(string kind, string name) =>
        Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name) ?? throw new InvalidOperationException($"no {kind} {name}");

    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.PodSpec is not null);

    public IEnumerable<(K8sObject Workload, Dictionary<string, object?> Container)> Containers =>
        Workloads.SelectMany(w => Tree.Maps(w.PodSpec, "containers").Select(c => (w, c)));
}
