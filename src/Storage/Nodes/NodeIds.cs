using System.Text.RegularExpressions;

namespace Loam.Storage.Nodes;

/// <summary>Node IDs as orchestrators issue them (host names, DNS subdomains); only these become file names.</summary>
public static partial class NodeIds
{
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? nodeId) => nodeId is not null && Pattern().IsMatch(nodeId) && !nodeId.Contains("..", StringComparison.Ordinal);
}
