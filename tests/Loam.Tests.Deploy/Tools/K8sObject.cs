namespace Loam.Tests.Deploy.Tools;

/// <summary>One rendered Kubernetes object.</summary>
public sealed record K8sObject(Dictionary<string, object?> Raw)
{
    public string Kind => Tree.Str(Raw, "kind") ?? "";
    public string Name => Tree.Str(Raw, "metadata.name") ?? "";
    public string? Namespace => Tree.Str(Raw, "metadata.namespace");
    public string Key => $"{Kind}/{Name}";

    /// <summary>The pod spec of a DaemonSet, Deployment or StatefulSet; null for other kinds.</summary>
    public Dictionary<string, object?>? PodSpec => Kind is "DaemonSet" or "Deployment" or "StatefulSet" ? Tree.Map(Raw, "spec.template.spec") : null;

    public override string ToString() => Key;
}
