using System.Security.Cryptography;
using System.Text;

namespace Loam.Storage;

/// <summary>
/// A validated Loam ID: a kind prefix and 32 lowercase hex digits, e.g. <c>vol-0123…</c>.
/// IDs are derived from the CO's name (SHA-256), so a retried create finds its own
/// half-made work and the same name always means the same ID, across restarts.
/// Only a value of this type is ever used to build a path.
/// </summary>
public readonly record struct ResourceId
{
    private const int HexLength = 32;

    private ResourceId(ResourceKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public ResourceKind Kind { get; }
    public string Value { get; }

    public static string Prefix(ResourceKind kind) => kind switch
    {
        ResourceKind.Volume => "vol-",
        ResourceKind.Snapshot => "snap-",
        ResourceKind.GroupSnapshot => "group-",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The ID a CO name maps to. Names of different kinds never collide.</summary>
    public static ResourceId FromName(ResourceKind kind, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Prefix(kind) + name), hash);
        return new ResourceId(kind, Prefix(kind) + Convert.ToHexStringLower(hash[..(HexLength / 2)]));
    }

    /// <summary>Accepts exactly the IDs <see cref="FromName"/> can produce, nothing else.</summary>
    public static bool TryParse(string? text, ResourceKind kind, out ResourceId id)
    {
        id = default;
        var prefix = Prefix(kind);
        if (text is null || text.Length != prefix.Length + HexLength || !text.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        foreach (var c in text.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
                return false;
        }
        id = new ResourceId(kind, text);
        return true;
    }

    public override string ToString() => Value;
}
