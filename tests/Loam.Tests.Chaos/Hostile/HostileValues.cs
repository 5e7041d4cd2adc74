using Csi.V1;
using Mode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Loam.Tests.Chaos.Hostile;

/// <summary>
/// The malformed and malicious values every request field gets tried with: traversal, separators,
/// NUL, unicode, oversized strings, impossible numbers, unknown enums, option injection.
/// </summary>
public static class HostileValues
{
    public static readonly string Huge = new('a', 100_000);

    /// <summary>Volume, snapshot, group and node IDs. None of them was issued by the driver.</summary>
    public static readonly string[] Ids =
    [
        "", " ", "..", "../../etc/passwd", "/etc/passwd", "vol-../../../etc", "vol-00000000000000000000000000000000/../x",
        "vol-0000000000000000000000000000000\0", "vol-ÄÖÜ0000000000000000000000000000", "vol-０００", "vol-\u202e0000",
        "VOL-00000000000000000000000000000000", "vol-0000000000000000000000000000000g", "snap-00000000000000000000000000000000",
        "group-00000000000000000000000000000000", "vol-" + new string('0', 33), "vol-*", "vol-?", "vol-%2e%2e", "\\..\\..\\", Huge,
    ];

    /// <summary>CO names for CreateVolume and CreateSnapshot; some are odd but legal (the driver hashes them).</summary>
    public static readonly string[] Names = ["", "../../escape", "/abs", "a\0b", "ünïcödé-名前", "\u202etxt.exe", "con", ".", Huge, "name with spaces", "a/b/c"];

    public static readonly CapacityRange?[] Capacities =
    [
        new() { RequiredBytes = -1 }, new() { LimitBytes = -1 }, new() { RequiredBytes = long.MinValue }, new() { RequiredBytes = long.MaxValue },
        new() { RequiredBytes = long.MaxValue, LimitBytes = long.MaxValue }, new() { RequiredBytes = 64L << 20, LimitBytes = 16L << 20 },
        new() { RequiredBytes = 1, LimitBytes = 1 }, new() { RequiredBytes = 0, LimitBytes = 0 }, new() { RequiredBytes = 1L << 50 },
    ];

    /// <summary>Mount flags that try to smuggle in other devices, paths, mounts or dangerous behaviour: always refused.</summary>
    public static readonly string[] DangerousMountFlags =
    [
        "bind", "rbind", "remount", "move", "loop=/dev/sda", "upperdir=/etc", "lowerdir=/", "context=system_u:object_r:etc_t:s0",
        "x-mount.mkdir", "errors=panic", "uid=0", "gid=0", "journal_path=/dev/sda", "journal_dev=0x801", "usrjquota=/etc/passwd",
        "noatime,bind", "defaults,,,remount", "data=journal,loop=/dev/sda", "nosuid\0,bind", "ro\nbind", "commit=999999999999", "a=" + new string('x', 5000),
    ];

    /// <summary>Mount flags that only restate kernel defaults: harmless, so either accepted or refused, never worse.</summary>
    public static readonly string[] DefaultRestatingFlags = [",dev", "exec,suid", "dev,exec,suid,rw"];

    public static readonly string[] FsTypes = ["ntfs", "ext4 ", "../ext4", "ext4,dev", "EXT4", "ext4\0", "proc", "tmpfs", "overlay", Huge];

    public static readonly string[] Tokens = ["garbage", "-1", "99999999999999999999", "0", "1e9", "vol-00000000000000000000000000000000", "../", Huge, "\0"];

    public static readonly int[] MaxEntries = [-1, int.MinValue, int.MaxValue, 0];

    /// <summary>Capabilities broken in every way a field can be.</summary>
    public static IEnumerable<(string What, VolumeCapability? Capability)> Capabilities()
    {
        yield return ("no capability", null);
        yield return ("no access type", new VolumeCapability { AccessMode = new() { Mode = Mode.SingleNodeWriter } });
        yield return ("no access mode", new VolumeCapability { Mount = new() });
        yield return ("mode UNKNOWN", new VolumeCapability { AccessMode = new() { Mode = Mode.Unknown }, Mount = new() });
        yield return ("mode 999", new VolumeCapability { AccessMode = new() { Mode = (Mode)999 }, Mount = new() });
        yield return ("multi-node writer mount", new VolumeCapability { AccessMode = new() { Mode = Mode.MultiNodeMultiWriter }, Mount = new() });
        foreach (var fs in FsTypes)
            yield return ($"fs_type {Show(fs)}", Mount(fs));
        foreach (var flag in DangerousMountFlags.Concat(DefaultRestatingFlags))
            yield return ($"mount flag {Show(flag)}", Mount("ext4", flag));
        foreach (var group in new[] { "../", "-1", "99999999999", "root", "0\0", Huge })
            yield return ($"mount group {Show(group)}", new VolumeCapability { AccessMode = new() { Mode = Mode.SingleNodeWriter }, Mount = new() { VolumeMountGroup = group } });
    }

    public static VolumeCapability Mount(string fsType = "ext4", params string[] flags)
    {
        var capability = new VolumeCapability { AccessMode = new() { Mode = Mode.SingleNodeWriter }, Mount = new() { FsType = fsType } };
        capability.Mount.MountFlags.Add(flags);
        return capability;
    }

    /// <summary>A value as a failure message can show it: NULs and huge strings made visible.</summary>
    public static string Show(string value) =>
        value.Length > 60 ? $"<{value.Length} chars>" : "\"" + value.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
