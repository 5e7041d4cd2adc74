using System.Globalization;
using System.Text.RegularExpressions;

namespace Loam.Storage.Pools;

/// <summary>
/// One <c>--pool</c> flag: <c>NAME=PATH[,reserve=SIZE][,overcommit=RATIO][,shared]</c>.
/// <c>reserve</c> is free space Loam never hands out; <c>overcommit</c> multiplies what
/// thin volumes may promise; <c>shared</c> marks a filesystem mounted on every node,
/// whose volumes may attach anywhere.
/// </summary>
public sealed partial record PoolOptions(string Name, string Path, long ReserveBytes = 0, double Overcommit = 1.0, bool Shared = false)
{
    public const string DefaultSpec = "default=/var/lib/loam/pools/default";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static PoolOptions Parse(string spec)
    {
        var parts = spec.Split(',');
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw StorageException.InvalidArgument($"--pool '{spec}': expected NAME=PATH[,reserve=SIZE][,overcommit=RATIO][,shared]");
        var name = parts[0][..eq];
        var path = parts[0][(eq + 1)..];
        if (!IsValidName(name))
            throw StorageException.InvalidArgument($"--pool '{spec}': pool name '{name}' must be 1-32 of a-z, 0-9 and '-', starting and ending alphanumeric");
        if (!System.IO.Path.IsPathFullyQualified(path))
            throw StorageException.InvalidArgument($"--pool '{spec}': path '{path}' must be absolute");

        var options = new PoolOptions(name, System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path)));
        foreach (var option in parts.Skip(1))
        {
            var (key, value) = option.IndexOf('=', StringComparison.Ordinal) is var i and > 0 ? (option[..i], option[(i + 1)..]) : (option, "");
            options = key switch
            {
                "reserve" => options with { ReserveBytes = ByteSize.Parse(value, $"--pool {name} reserve") },
                "overcommit" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r >= 1.0 && r <= 100.0
                    => options with { Overcommit = r },
                "overcommit" => throw StorageException.InvalidArgument($"--pool {name}: overcommit '{value}' must be a number from 1 to 100"),
                "shared" when value.Length == 0 => options with { Shared = true },
                _ => throw StorageException.InvalidArgument($"--pool {name}: unknown option '{option}' (known: reserve=SIZE, overcommit=RATIO, shared)"),
            };
        }
        return options;
    }
}
