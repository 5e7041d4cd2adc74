using System.Text;
using System.Text.Json;

namespace Loam.Tests.Deploy.Tools;

/// <summary>Reading plain trees (from YAML or JSON) by path, and comparing them.</summary>
public static class Tree
{
    /// <summary>The node at a dotted path (<c>spec.template.spec</c>), or null when any step is missing.</summary>
    public static object? At(object? node, string path)
    {
        foreach (var step in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(step, out node))
                return null;
        }
        return node;
    }

    public static Dictionary<string, object?> Map(object? node, string path = "") =>
        (path.Length == 0 ? node : At(node, path)) as Dictionary<string, object?> ?? [];

    public static List<object?> List(object? node, string path = "") =>
        (path.Length == 0 ? node : At(node, path)) as List<object?> ?? [];

    public static IEnumerable<Dictionary<string, object?>> Maps(object? node, string path = "") =>
        List(node, path).OfType<Dictionary<string, object?>>();

    public static string? Str(object? node, string path = "") => (path.Length == 0 ? node : At(node, path)) as string;

    public static IEnumerable<string> Strings(object? node, string path = "") => List(node, path).OfType<string>();

    /// <summary>A canonical text of a tree (keys sorted) for equality with a readable diff.</summary>
    public static string Canonical(object? node)
    {
        var buffer = new StringBuilder();
        Write(node, buffer, 0);
        return buffer.ToString();
    }

    /// <summary>JSON into the same plain trees YAML gives (numbers and booleans as their text).</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    public static Dictionary<string, object?> ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return (Dictionary<string, object?>)FromJson(document.RootElement)!;
    }

    private static void Write(object? node, StringBuilder buffer, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    buffer.Append(pad).Append(key).Append(':').Append('\n');
                    Write(value, buffer, indent + 2);
                }
                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    buffer.Append(pad).Append("-\n");
                    Write(item, buffer, indent + 2);
                }
                break;
            default:
                buffer.Append(pad).Append(node ?? "~").Append('\n');
                break;
        }
    }
}
