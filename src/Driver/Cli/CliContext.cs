using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Loam.Client;
using Loam.Storage;

namespace Loam.Driver.Cli;

/// <summary>What a client verb runs with: the endpoint's client, and whether to answer in JSON.</summary>
public sealed class CliContext(CsiClient client, bool json)
{
    public CsiClient Client { get; } = client;
    public bool Json { get; } = json;
    public TextWriter Out { get; } = Console.Out;

    /// <summary>Writes <paramref name="value"/> as JSON with --json, else the table or lines <paramref name="human"/> writes.</summary>
    public void Answer<T>(T value, JsonTypeInfo<T> type, Action<TextWriter> human)
    {
        if (Json)
            Out.WriteLine(JsonSerializer.Serialize(value, type));
        else
            human(Out);
    }

    public static long ParseSize(string text, string what) =>
        ByteSize.TryParse(text, out var bytes) && bytes > 0 ? bytes
            : throw CliException.Usage($"{what} '{text}' is not a size (bytes, or a number with Ki, Mi, Gi, Ti, K, M, G or T)");

    /// <summary>Exact where it is a whole unit (1Gi), else to one decimal (54.7Mi).</summary>
    public static string Size(long bytes)
    {
        if (bytes <= 0)
            return "-";
        if (bytes % ByteSize.MiB == 0 || bytes < ByteSize.KiB)
            return ByteSize.Format(bytes);
        var (unit, factor) = bytes >= ByteSize.GiB ? ("Gi", ByteSize.GiB) : bytes >= ByteSize.MiB ? ("Mi", ByteSize.MiB) : ("Ki", ByteSize.KiB);
        return ((double)bytes / factor).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + unit;
    }
}
