namespace Loam.Bench;

/// <summary>The knobs every scenario reads from (each uses the ones it needs).</summary>
public sealed record BenchOptions
{
    /// <summary>Volumes to create (provision, publish, scale).</summary>
    public int Count { get; init; } = 100;
    public int Concurrency { get; init; } = 1;
    public long SizeBytes { get; init; } = 1L << 30;
    /// <summary>Filesystem for mount volumes; empty lets the driver choose.</summary>
    public string FsType { get; init; } = "";
    public bool Block { get; init; }
    /// <summary>A folder below the driver's allowed root, for staging folders and targets (publish, snapshot).</summary>
    public string? MountRoot { get; init; }
    /// <summary>MiB written through a mount and verified after restore (snapshot).</summary>
    public int DataMiB { get; init; } = 64;
    /// <summary>Random 64 KiB blocks written before each snapshot (metadata).</summary>
    public int Writes { get; init; } = 1000;
    /// <summary>Seed of the offsets and contents written (metadata): the same seed writes the same blocks.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>The driver's process ID, whose memory is read around the measured calls (metadata); null to skip.</summary>
    public int? DriverPid { get; init; }
    /// <summary>Which of the endpoints the scenario is running against now, and how many there are.</summary>
    public int EndpointIndex { get; init; }
    public int EndpointCount { get; init; } = 1;
    /// <summary>CreateVolume parameters (datapath), e.g. provisioning=thick.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>A folder in each endpoint's pool filesystem, paired with the endpoints in order (datapath).</summary>
    public IReadOnlyList<string> PoolDirs { get; init; } = [];
    /// <summary>Size of the file each fio job works on (datapath).</summary>
    public int FileMiB { get; init; } = 2048;
    /// <summary>Seconds per fio job (datapath).</summary>
    public int RuntimeSeconds { get; init; } = 15;
    /// <summary>Times every job runs on each side (datapath).</summary>
    public int Rounds { get; init; } = 2;
    /// <summary>Start-ups per driver command line (startup).</summary>
    public int Repeat { get; init; } = 5;
    /// <summary>How long a started driver idles before its RSS is read (startup).</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Unique per run, so names never collide with an earlier run's volumes.</summary>
    public string RunId { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];

    public string Name(string kind, int index) => $"bench-{RunId}-{kind}-{index}";

    public string RequireMountRoot() =>
        MountRoot ?? throw new ArgumentException("this scenario mounts volumes: give --mount-root, a folder below the driver's allowed root");

    /// <summary>The --pool-dir paired with the current endpoint (the same order as the endpoints).</summary>
    public string PoolDir() =>
        PoolDirs.Count == EndpointCount ? PoolDirs[EndpointIndex]
        : throw new ArgumentException($"give one --pool-dir per --endpoint ({EndpointCount}); {PoolDirs.Count} given");

    public ParallelOptions Parallel(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
}
