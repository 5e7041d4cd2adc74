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
            var pidFile = Path.Combine(folder, "driver.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsOurDriver(pid, folder))
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
