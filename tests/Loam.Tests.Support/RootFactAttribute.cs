using Mono.Unix.Native;
using Xunit;

namespace Loam.Tests.Support;

/// <summary>A test that needs root (loop devices, mkfs, mount); skipped, and reported skipped, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = Privileges.SkipReason;
    }
}

/// <summary>A data-driven test that needs root.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = Privileges.SkipReason;
    }
}

public static class Privileges
{
    public static bool IsRoot { get; } = Syscall.geteuid() == 0;

    public const string SkipReason = "needs root: real loop devices, mkfs and mounts (CI runs as root)";
}
