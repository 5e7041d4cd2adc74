using System.Globalization;
using System.Text;

namespace Loam.Tests.Deploy.Tools;

/// <summary>One sample of the Prometheus text format.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var v) && v == l.Value);
}

/// <summary>Parses the text exposition format (version 0.0.4): samples and the families' TYPE lines.</summary>
public sealed class PrometheusText
{
    public PrometheusText(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
                continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
                continue;
            samples.Add(ParseSample(line));
        }
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Family name to type (counter, gauge, histogram, summary, untyped).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Every series name a query can select: a histogram family adds _bucket, _sum and _count.</summary>
    public IReadOnlySet<string> SelectableNames =>
        Types.SelectMany(t => t.Value == "histogram" ? new[] { t.Key + "_bucket", t.Key + "_sum", t.Key + "_count" } : [t.Key]).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>The one sample with this name and these labels; fails listing what is there.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Named(name).Where(s => s.Has(labels)).ToList();
        return matches is [var only] ? only.Value
            : throw new InvalidOperationException($"expected one {name}{{{string.Join(',', labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}}, found {matches.Count} among:\n" +
                string.Join('\n', Named(name).Select(s => s.ToString())));
    }

    public bool Contains(string name, params (string Name, string Value)[] labels) => Named(name).Any(s => s.Has(labels));

    private static Sample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        string name;
        int rest;
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            var i = brace + 1;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq].Trim(',', ' ');
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                        j++;
                    value.Append(line[j] switch { 'n' when line[j - 1] == '\\' => '\n', var c => c });
                }
                labels[key] = value.ToString();
                i = j + 1;
                if (line[i] == ',')
                    i++;
            }
            rest = i + 2;
        }
        else
        {
            name = line[..space];
            rest = space + 1;
        }
        var number = line[rest..].Split(' ')[0];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, parsed);
    }
}
