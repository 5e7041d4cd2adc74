using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Loam.Tests.Deploy.Tools;

/// <summary>
/// YAML through YamlDotNet, as plain trees: maps are <c>Dictionary&lt;string, object?&gt;</c>,
/// sequences <c>List&lt;object?&gt;</c>, scalars strings (so <c>9810</c> and <c>"9810"</c> compare equal).
/// </summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every non-empty document of a multi-document stream.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Documents(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<string, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Normalize(Deserializer.Deserialize<object?>(parser)) is Dictionary<string, object?> map)
                documents.Add(map);
        }
        return documents;
    }

    public static Dictionary<string, object?> Document(string text) => Documents(text).Single();

    public static object? Normalize(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!, e => Normalize(e.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Normalize).ToList(),
        _ => node,
    };
}
