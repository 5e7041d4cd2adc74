using System.Globalization;
using System.Text;

namespace Loam.Storage.Os;

/// <summary>
/// Parses /proc/self/mountinfo (proc(5)): ID, parent, major:minor, root, mount point,
/// options, optional fields up to "-", then fs type, source and superblock options.
/// Paths escape space, tab, newline and backslash as \ooo octal.
/// </summary>
public static class MountInfoParser
{
    public static IReadOnlyList<MountInfo> Parse(string text)
    {
        var mounts = new List<MountInfo>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParseLine(line, out var mount))
                mounts.Add(mount);
        }
        return mounts;
    }

    public static bool TryParseLine(string line, out MountInfo mount)
    {
        mount = null!;
        var fields = line.Split(' ');
        if (fields.Length < 10)
            return false;
        var separator = Array.IndexOf(fields, "-", 6);
        if (separator < 0 || fields.Length < separator + 4)
            return false;
        if (!int.TryParse(fields[0], CultureInfo.InvariantCulture, out var id) || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent))
            return false;
        mount = new MountInfo(
            MountId: id,
            ParentId: parent,
            Device: fields[2],
            Root: Unescape(fields[3]),
            MountPoint: Unescape(fields[4]),
            MountOptions: fields[5].Split(','),
            FsType: fields[separator + 1],
            Source: Unescape(fields[separator + 2]),
            SuperOptions: fields[separator + 3].Split(','));
        return true;
    }

    public static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1) && IsOctal(field, i + 2) && IsOctal(field, i + 3))
            {
                sb.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int index) => index < s.Length && s[index] is >= '0' and <= '7';
}
