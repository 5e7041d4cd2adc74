using System.Globalization;

namespace Loam.Tests.Chaos.Soak;

/// <summary>
/// What a soak killed by SIGKILL leaves behind (its driver process, mounts, loop devices and the
/// folder under /tmp/loam-tests) is removed before the next soak starts.
/// </summary>
public static class StaleSoaks
{
    public static void CleanUp(TextWriter log)
    {
        if (!Directory.Exists(TestRoot.Base))
            return;
        foreach (var folder in Directory.GetDirectories(TestRoot.Base, "soak-*"))
        {
            // A soak that still runs (another CLI soak, or the CI test's) owns its folder.
            if (ReadPid(Path.Combine(folder, "soak.pid")) is { } owner && Directory.Exists($"/proc/{owner}"))
                continue;
            if (ReadPid(Path.Combine(folder, "driver.pid")) is { } pid && IsOurDriver(pid, folder))
            {
                log.WriteLine($"killing driver {pid} left by an interrupted soak");
                _ = Mono.Unix.Native.Syscall.kill(pid, Mono.Unix.Native.Signum.SIGKILL);
            }
            log.WriteLine($"cleaning up {folder}");
            MountCleanup.Under(folder);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Busy for a moment after a lazy unmount; it is under /tmp.
            }
        }
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Only a `loam serve` whose socket lies in that soak's folder, never another process that reused the pid.</summary>
    private static bool IsOurDriver(int pid, string folder)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
