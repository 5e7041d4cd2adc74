namespace Loam.Storage;

/// <summary>
/// Test hooks that hold an operation still at a named point (a <see cref="CrashPoints"/> name or
/// one of the names here) so that tests can act on another process meanwhile. Armed only by
/// LOAM_HOLD_POINT (the point) and LOAM_HOLD_FILE (a path): on reaching the point the process
/// creates the file and waits, holding its locks and freezes, until the test deletes it.
/// Otherwise each call is one comparison with null.
/// </summary>
public static class HoldPoints
{
    /// <summary>NodeStageVolume, right after the device got its filesystem and before the mount.</summary>
    public const string StageFormatted = "node-stage:formatted";

    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);
    private static readonly string? Armed = Variable("LOAM_HOLD_POINT");
    private static readonly string? File = Variable("LOAM_HOLD_FILE");

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    public static void Reach(string name)
    {
        if (Armed is null || Armed != name || File is null)
            return;
        System.IO.File.WriteAllText(File, name);
        var until = DateTime.UtcNow + Longest;
        while (System.IO.File.Exists(File) && DateTime.UtcNow < until)
            Thread.Sleep(20);
    }
}
