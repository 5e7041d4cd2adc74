using System.Text.RegularExpressions;
using Loam.Storage;

namespace Loam.Node;

/// <summary>
/// The filesystem options users may pass, per filesystem (see ext4(5), xfs(5), btrfs(5)).
/// Left out on purpose: anything naming a device or path (journal_path, logdev, rtdev,
/// device, subvol), anything that can stop the node (errors=panic, fatal_errors), and
/// recovery options that change what is on disk.
/// </summary>
internal static partial class FileSystemMountOptions
{
    private static readonly HashSet<string> Ext4Flags = new(StringComparer.Ordinal)
    {
        "acl", "noacl", "user_xattr", "nouser_xattr", "barrier", "nobarrier", "discard", "nodiscard",
        "delalloc", "nodelalloc", "auto_da_alloc", "noauto_da_alloc", "journal_checksum", "nojournal_checksum",
        "journal_async_commit", "dioread_lock", "dioread_nolock", "block_validity", "noblock_validity",
        "init_itable", "noinit_itable", "i_version", "nombcache", "quota", "noquota", "usrquota", "grpquota",
        "prjquota", "grpid", "bsdgroups", "nogrpid", "sysvgroups",
    };

    private static readonly HashSet<string> XfsFlags = new(StringComparer.Ordinal)
    {
        "nouuid", "largeio", "nolargeio", "inode32", "inode64", "wsync", "swalloc", "noalign", "filestreams",
        "discard", "nodiscard", "attr2", "noattr2", "ikeep", "noikeep", "grpid", "bsdgroups", "nogrpid", "sysvgroups",
        "quota", "usrquota", "uquota", "uqnoenforce", "qnoenforce", "grpquota", "gquota", "gqnoenforce",
        "prjquota", "pquota", "pqnoenforce", "noquota",
    };

    private static readonly HashSet<string> BtrfsFlags = new(StringComparer.Ordinal)
    {
        "acl", "noacl", "autodefrag", "noautodefrag", "barrier", "nobarrier", "compress", "compress-force",
        "datacow", "nodatacow", "datasum", "nodatasum", "discard", "nodiscard", "flushoncommit", "noflushoncommit",
        "space_cache", "nospace_cache", "ssd", "nossd", "ssd_spread", "nossd_spread", "treelog", "notreelog",
    };

    [GeneratedRegex(@"^\d{1,9}$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\d{1,10}[kKmMgG]?$")]
    private static partial Regex Size();

    [GeneratedRegex("^(ordered|writeback|journal)$")]
    private static partial Regex Ext4Data();

    [GeneratedRegex("^(continue|remount-ro)$")]
    private static partial Regex Ext4Errors();

    [GeneratedRegex("^[0-7]$")]
    private static partial Regex Priority();

    [GeneratedRegex("^[01]$")]
    private static partial Regex Bit();

    [GeneratedRegex(@"^(zlib|lzo|zstd|no)(:\d{1,2})?$")]
    private static partial Regex Compression();

    [GeneratedRegex("^(sync|async)$")]
    private static partial Regex DiscardMode();

    [GeneratedRegex("^v[12]$")]
    private static partial Regex SpaceCache();

    private static readonly Dictionary<string, Regex> Ext4Keyed = new(StringComparer.Ordinal)
    {
        ["commit"] = Number(), ["stripe"] = Number(), ["inode_readahead_blks"] = Number(), ["max_batch_time"] = Number(),
        ["min_batch_time"] = Number(), ["init_itable"] = Number(), ["resuid"] = Number(), ["resgid"] = Number(),
        ["journal_ioprio"] = Priority(), ["barrier"] = Bit(), ["data"] = Ext4Data(), ["errors"] = Ext4Errors(),
    };

    private static readonly Dictionary<string, Regex> XfsKeyed = new(StringComparer.Ordinal)
    {
        ["allocsize"] = Size(), ["logbufs"] = Number(), ["logbsize"] = Size(), ["sunit"] = Number(), ["swidth"] = Number(),
    };

    private static readonly Dictionary<string, Regex> BtrfsKeyed = new(StringComparer.Ordinal)
    {
        ["compress"] = Compression(), ["compress-force"] = Compression(), ["commit"] = Number(), ["discard"] = DiscardMode(),
        ["space_cache"] = SpaceCache(), ["max_inline"] = Size(), ["thread_pool"] = Number(), ["metadata_ratio"] = Number(),
    };

    public static IReadOnlySet<string> Flags(string fileSystemType) => fileSystemType switch
    {
        FileSystemTypes.Ext4 => Ext4Flags,
        FileSystemTypes.Xfs => XfsFlags,
        FileSystemTypes.Btrfs => BtrfsFlags,
        _ => new HashSet<string>(),
    };

    public static IReadOnlyDictionary<string, Regex> Keyed(string fileSystemType) => fileSystemType switch
    {
        FileSystemTypes.Ext4 => Ext4Keyed,
        FileSystemTypes.Xfs => XfsKeyed,
        FileSystemTypes.Btrfs => BtrfsKeyed,
        _ => new Dictionary<string, Regex>(),
    };
}
