using Loam.Storage.Os;

namespace Loam.Tests.Support;

/// <summary>
/// Removes every mount below a folder (deepest first, lazily if busy) and detaches every loop
/// device whose backing file lies below it: by the kernel's path text, or by device and inode
/// (a device attached by a driver in a mount namespace that is gone prints another path).
/// Tests call it in Dispose, so a failing test leaves nothing behind on the machine.
/// </summary>
public static class MountCleanup
{
    public static void Under(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(root) + "/";
        // Read before anything is unmounted: a pool filesystem whose images only devices from a dead
        // namespace hold unmounts without EBUSY (they pin its superblock, not this mount), and its
        // files are then out of reach.
        var files = FileIdentitiesUnder(prefix);
        var fileSystems = FileSystemsMountedUnder(prefix);
        ThawUnder(prefix);
        // Volume mounts sit on loop devices whose images sit on a pool filesystem that is itself
        // a loop mount: unmount and detach in rounds until nothing is left, lazily at the end.
        for (var round = 0; round < 6; round++)
        {
            var lazy = round == 5;
            var mounts = MountsUnder(prefix);
            var loops = LoopDevicesBackedUnder(prefix, files).Concat(DeletedImagesOn(fileSystems)).ToList();
            if (mounts.Count == 0 && loops.Count == 0)
                return;
            foreach (var mount in mounts)
                Shell.TryRun("umount", lazy ? ["-l", mount] : [mount]);
            foreach (var device in LoopDevicesBackedUnder(prefix, files).Concat(DeletedImagesOn(fileSystems)))
                Shell.TryRun("losetup", "-d", device);
        }
    }

    /// <summary>
    /// Thaws every filesystem below <paramref name="prefix"/> that a snapshot (FIFREEZE) left
    /// frozen, e.g. when a test killed the driver mid-copy: a frozen filesystem that is unmounted
    /// lives on, detached, and pins its loop device. Mounting the device again reaches the same
    /// superblock, which can then be thawed. Thawing one that is not frozen fails harmlessly.
    /// </summary>
    public static void ThawUnder(string prefix)
    {
        foreach (var mount in MountsUnder(prefix))
            Shell.TryRun("fsfreeze", "--unfreeze", mount);
        var rescue = Path.Combine(TestRoot.Base, "thaw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(rescue);
        try
        {
            foreach (var device in LoopDevicesBackedUnder(prefix))
            {
                if (Shell.TryRun("mount", device, rescue).ExitCode == 0)
                {
                    Shell.TryRun("fsfreeze", "--unfreeze", rescue);
                    Shell.TryRun("umount", rescue);
                }
            }
        }
        finally
        {
            Directory.Delete(rescue);
        }
    }

    public static IReadOnlyList<string> MountsUnder(string prefix) =>
        [.. new ProcMountTable().Read()
            .Select(m => m.MountPoint)
            .Where(p => p == prefix.TrimEnd('/') || p.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)];

    public static IReadOnlyList<string> LoopDevicesBackedUnder(string prefix) =>
        LoopDevicesBackedUnder(prefix, new HashSet<ImageIdentity>());

    /// <param name="files">identities of files that were below the prefix earlier.</param>
    public static IReadOnlyList<string> LoopDevicesBackedUnder(string prefix, IReadOnlySet<ImageIdentity> files)
    {
        var devices = new List<string>();
        if (!Directory.Exists("/sys/block"))
            return devices;
        foreach (var dir in Directory.EnumerateDirectories("/sys/block", "loop*"))
        {
            var backing = Path.Combine(dir, "loop", "backing_file");
            if (!File.Exists(backing))
                continue;
            string file;
            try
            {
                file = File.ReadAllText(backing).Trim();
            }
            catch (IOException)
            {
                continue;
            }
            if (file.StartsWith(prefix, StringComparison.Ordinal))
                devices.Add("/dev/" + Path.GetFileName(dir));
        }
        var known = FileIdentitiesUnder(prefix);
        known.UnionWith(files);
        if (known.Count > 0)
        {
            var held = new LoopDevices().List().Where(d => known.Contains(d.Image)).Select(d => d.DevicePath);
            devices.AddRange(held.Except(devices).ToList());
        }
        return devices;
    }

    /// <summary>
    /// st_dev of each filesystem mounted below <paramref name="prefix"/> (a test's pool filesystems),
    /// not of the one the test root itself is on, which other tests share.
    /// </summary>
    public static HashSet<ulong> FileSystemsMountedUnder(string prefix)
    {
        var images = new ImageFiles();
        var shared = images.FolderDevice(TestRoot.Base);
        var devices = new HashSet<ulong>();
        foreach (var mount in MountsUnder(prefix))
        {
            if (images.FolderDevice(mount) is { } device && device != shared)
                devices.Add(device);
        }
        return devices;
    }

    /// <summary>Devices holding a deleted file of one of <paramref name="fileSystems"/>: no name reaches those.</summary>
    public static IEnumerable<string> DeletedImagesOn(IReadOnlySet<ulong> fileSystems) =>
        fileSystems.Count == 0
            ? []
            : new LoopDevices().List()
                .Where(d => d.BackingDeleted && fileSystems.Contains(d.Image.Device))
                .Select(d => d.DevicePath);

    /// <summary>Device and inode of every regular file below <paramref name="prefix"/> (links not followed).</summary>
    public static HashSet<ImageIdentity> FileIdentitiesUnder(string prefix)
    {
        var identities = new HashSet<ImageIdentity>();
        if (!Directory.Exists(prefix))
            return identities;
        var images = new ImageFiles();
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint,
        };
        try
        {
            foreach (var file in Directory.EnumerateFiles(prefix, "*", options))
            {
                if (images.Identify(file) is { } identity)
                    identities.Add(identity);
            }
        }
        catch (IOException)
        {
            // A broken mount below: what could be read is enough for clean-up.
        }
        return identities;
    }
}
