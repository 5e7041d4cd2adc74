using Loam.Storage;
using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>
/// Checked mount flags: kernel flags for mount(2) and filesystem options for its data
/// argument. Per-mount flags also apply to each bind mount at publish; filesystem options
/// belong to the staged filesystem.
/// </summary>
public sealed record MountOptions(KernelMountFlags Flags, IReadOnlyList<string> Data)
{
    public static MountOptions None { get; } = new(KernelMountFlags.None, []);

    private static readonly (KernelMountFlags Flag, string Name)[] Shown =
    [
        (KernelMountFlags.ReadOnly, "ro"), (KernelMountFlags.NoSuid, "nosuid"), (KernelMountFlags.NoDev, "nodev"),
        (KernelMountFlags.NoExec, "noexec"), (KernelMountFlags.NoAtime, "noatime"), (KernelMountFlags.NoDirAtime, "nodiratime"),
        (KernelMountFlags.RelAtime, "relatime"),
    ];

    public KernelMountFlags PerMount => Flags & KernelMountFlags.PerMount;

    /// <summary>The data argument for mount(2). xfs always gets nouuid: a clone carries its source's UUID and must mount beside it.</summary>
    public string DataFor(string fileSystemType)
    {
        var data = Data.ToList();
        if (fileSystemType == FileSystemTypes.Xfs && !data.Contains("nouuid"))
            data.Add("nouuid");
        return string.Join(',', data);
    }

    /// <summary>Whether every per-mount flag asked for shows on <paramref name="mount"/>.</summary>
    public bool AreSetOn(MountInfo mount) =>
        Shown.All(s => !PerMount.HasFlag(s.Flag) || mount.MountOptions.Contains(s.Name));
}
