using System.Globalization;

namespace Loam.Storage;

/// <summary>Sizes as operators write them: 1073741824, 512Mi, 10Gi, 1G (decimal), 2Ti.</summary>
public static class ByteSize
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;
    public const long TiB = 1024 * GiB;

    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", KiB), ("Mi", MiB), ("Gi", GiB), ("Ti", TiB),
        ("K", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("T", 1000_000_000_000L),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        long factor = 1;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                s = s[..^suffix.Length];
                break;
            }
        }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        try
        {
            bytes = checked(n * factor);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static long Parse(string text, string what) =>
        TryParse(text, out var bytes) ? bytes : throw StorageException.InvalidArgument($"{what}: '{text}' is not a size (examples: 1073741824, 512Mi, 10Gi)");

    /// <summary>A short human form, exact where it can be: 1Gi, 300Mi, 1536Ki, 1000 bytes.</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, factor) in new[] { ("Ti", TiB), ("Gi", GiB), ("Mi", MiB), ("Ki", KiB) })
        {
            if (bytes != 0 && bytes % factor == 0)
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    public static long RoundUp(long bytes, long unit) => checked((bytes + unit - 1) / unit * unit);
}
