using System.Runtime.InteropServices;

namespace Loam.Bench;

/// <summary>
/// SIGTERM for a driver under test, straight from libc: the bench needs this one call, and
/// taking it from Mono.Posix would pull the driver's OS layer into a client-only tool.
/// </summary>
internal static class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks <paramref name="pid"/> to stop; false when no such process is left.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    // DllImport, not LibraryImport: two ints marshal as they are, so no generated stub and no
    // unsafe code in the bench.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
