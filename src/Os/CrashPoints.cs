using Mono.Unix.Native;

namespace Loam.Storage;

/// <summary>
/// Named points between the steps of multi-step operations where crash tests stop the process
/// with SIGKILL, exactly as kill -9 would. Armed only by the LOAM_CRASH_POINT environment
/// variable, read once at start; otherwise each call is one comparison with null.
/// </summary>
public static class CrashPoints
{
    public const string CreateImageMade = "create-volume:image-made";
    public const string DeleteRecordRemoved = "delete-volume:record-removed";
    public const string DurableTempSynced = "durable-write:temp-synced";
    public const string SnapshotImageMade = "create-snapshot:image-made";
    public const string GroupMembersCut = "create-group-snapshot:members-cut";

    private static readonly string? Armed = Environment.GetEnvironmentVariable("LOAM_CRASH_POINT") is { Length: > 0 } point ? point : null;

    /// <summary>Kills the process when <paramref name="name"/> is armed; else a test may hold it here (<see cref="HoldPoints"/>).</summary>
    public static void Reach(string name)
    {
        if (Armed is not null && Armed == name)
            Syscall.kill(Syscall.getpid(), Signum.SIGKILL);
        HoldPoints.Reach(name);
    }
}
