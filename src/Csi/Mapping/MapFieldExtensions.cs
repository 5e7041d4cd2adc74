using Google.Protobuf.Collections;

namespace Loam.Csi.Mapping;

public static class MapFieldExtensions
{
    /// <summary>Copies entries into a protobuf map, replacing keys already present.</summary>
    public static void SetAll(this MapField<string, string> map, IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var (key, value) in entries)
            map[key] = value;
    }
}
