namespace Loam.Tests.Chaos.Soak;

/// <summary>How long and how hard a kill soak runs. The same seed gives the same plan of operations and kill delays.</summary>
public sealed record SoakOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>The soak stops after the iteration in which this many kills happened.</summary>
    public int Kills { get; init; } = 20;

    /// <summary>Volumes driven through their life at the same time in each iteration.</summary>
    public int Slots { get; init; } = 4;

    /// <summary>Names the slots draw from; volumes that survive an iteration are reused later.</summary>
    public int Names { get; init; } = 8;

    /// <summary>Kills per iteration at most; after them the iteration's operations finish undisturbed.</summary>
    public int KillsPerIteration { get; init; } = 5;

    /// <summary>Kill delay after the driver is ready, uniformly in this range.</summary>
    public TimeSpan MinKillDelay { get; init; } = TimeSpan.FromMilliseconds(5);
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Share of restarts armed with a named crash point (LOAM_CRASH_POINT) instead of a timed kill.</summary>
    public double CrashPointShare { get; init; } = 0.25;

    /// <summary>Every this many iterations, a node reboot: all mounts and loop devices vanish. 0: never.</summary>
    public int RebootEvery { get; init; } = 4;

    /// <summary>Snapshots, restores and clones in the mix (when the driver offers them).</summary>
    public bool Copies { get; init; } = true;

    /// <summary>Every driver start in a fresh mount namespace with the pool bind-mounted from another path, as a container restart.</summary>
    public bool Containers { get; init; }

    public TextWriter Log { get; init; } = TextWriter.Null;
}
