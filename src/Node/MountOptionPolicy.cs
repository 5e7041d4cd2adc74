using System.Text.RegularExpressions;
using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// Mount flags come from users (a PV's mountOptions), so only known-harmless ones pass: the
/// per-mount flags, a few filesystem-wide ones, and an allow-list of options per filesystem
/// whose values are short tokens without '/' or ',' (no option may name another device,
/// path or mount, nor smuggle in a second option). Anything else is INVALID_ARGUMENT.
/// Error messages name only the option's key: values may be secret.
/// </summary>
public static partial class MountOptionPolicy
{
    private static readonly Dictionary<string, KernelMountFlags> KernelFlags = new(StringComparer.Ordinal)
    {
        ["ro"] = KernelMountFlags.ReadOnly,
        ["nosuid"] = KernelMountFlags.NoSuid,
        ["nodev"] = KernelMountFlags.NoDev,
        ["noexec"] = KernelMountFlags.NoExec,
        ["noatime"] = KernelMountFlags.NoAtime,
        ["nodiratime"] = KernelMountFlags.NoDirAtime,
        ["relatime"] = KernelMountFlags.RelAtime,
        ["strictatime"] = KernelMountFlags.StrictAtime,
        ["sync"] = KernelMountFlags.Synchronous,
        ["dirsync"] = KernelMountFlags.DirSync,
        ["lazytime"] = KernelMountFlags.LazyTime,
    };

    /// <summary>Flags that only restate the kernel's defaults.</summary>
    private static readonly HashSet<string> Defaults = new(StringComparer.Ordinal) { "defaults", "rw", "suid", "dev", "exec", "async", "atime", "diratime" };

    [GeneratedRegex("^[A-Za-z0-9._:+-]{1,64}$")]
    private static partial Regex Value();

    /// <exception cref="StorageException">InvalidArgument for an option not on the allow-list.</exception>
    public static MountOptions Parse(IReadOnlyList<string>? mountFlags, string fileSystemType)
    {
        if (mountFlags is null || mountFlags.Count == 0)
            return MountOptions.None;
        var flags = KernelMountFlags.None;
        var data = new List<string>();
        var readWrite = false;
        foreach (var entry in mountFlags)
        {
            // One entry may hold several options ("noatime,nodiratime"); empty pieces are ignored.
            foreach (var option in entry.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (KernelFlags.TryGetValue(option, out var flag))
                    flags |= flag;
                else if (Defaults.Contains(option))
                    readWrite |= option == "rw";
                else if (IsFileSystemOption(fileSystemType, option))
                {
                    if (!data.Contains(option))
                        data.Add(option);
                }
                else
                    throw StorageException.InvalidArgument($"mount flag '{Key(option)}' is not allowed for {fileSystemType} (value not shown)");
            }
        }
        if (readWrite && flags.HasFlag(KernelMountFlags.ReadOnly))
            throw StorageException.InvalidArgument("mount flags ask for both ro and rw");
        return new MountOptions(flags, data);
    }

    /// <summary>
    /// Refuses a flag that no supported filesystem allows, before anything about the volume's state
    /// is looked at: bad input is INVALID_ARGUMENT whatever the volume's state. <see cref="Parse"/>
    /// still checks the flags against the filesystem really mounted.
    /// </summary>
    /// <exception cref="StorageException">InvalidArgument, as <see cref="Parse"/> answers for the first filesystem.</exception>
    public static void EnsureAllowedForSome(IReadOnlyList<string>? mountFlags)
    {
        StorageException? refusal = null;
        foreach (var fileSystemType in FileSystemTypes.Supported)
        {
            try
            {
                Parse(mountFlags, fileSystemType);
                return;
            }
            catch (StorageException e)
            {
                refusal ??= e;
            }
        }
        if (refusal is not null)
            throw refusal;
    }

    private static bool IsFileSystemOption(string fileSystemType, string option)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
            return FileSystemMountOptions.Flags(fileSystemType).Contains(option);
        var key = option[..eq];
        var value = option[(eq + 1)..];
        return Value().IsMatch(value)
            && FileSystemMountOptions.Keyed(fileSystemType).TryGetValue(key, out var pattern)
            && pattern.IsMatch(value);
    }

    private static string Key(string option)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        var key = (eq < 0 ? option : option[..eq]).Select(c => char.IsControl(c) || c == '\'' ? '?' : c).ToArray();
        return key.Length > 32 ? new string(key, 0, 32) + "..." : new string(key);
    }
}
