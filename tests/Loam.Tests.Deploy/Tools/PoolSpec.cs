namespace Loam.Tests.Deploy.Tools;

/// <summary>One entry of a LOAM_POOLS value: <c>NAME=PATH[,option]...</c>.</summary>
public sealed record PoolSpec(string Name, string Path, IReadOnlyList<string> Options)
{
    public bool Shared => Options.Contains("shared");

    public static IReadOnlyList<PoolSpec> ParseAll(string value) =>
        [.. value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];

    public static PoolSpec Parse(string spec)
    {
        var parts = spec.Split(',');
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new FormatException($"pool spec '{spec}' is not NAME=PATH");
        return new PoolSpec(parts[0][..eq], parts[0][(eq + 1)..], parts[1..]);
    }

    public override string ToString() => string.Join(',', [$"{Name}={Path}", .. Options]);
}
