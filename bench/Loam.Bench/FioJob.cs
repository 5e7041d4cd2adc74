namespace Loam.Bench;

/// <summary>
/// One fio job of the datapath scenario: libaio, O_DIRECT, queue depth 32, time-based, on a
/// file laid out once and reused. <see cref="Direction"/> names the fio JSON section read back.
/// </summary>
public sealed record FioJob(string Name, string ReadWrite, string BlockSize, string Direction)
{
    /// <summary>The four jobs: random 4 KiB reads and writes, sequential 1 MiB reads and writes.</summary>
    public static IReadOnlyList<FioJob> All { get; } =
    [
        new("randread_4k", "randread", "4k", "read"),
        new("randwrite_4k", "randwrite", "4k", "write"),
        new("seqread_1m", "read", "1m", "read"),
        new("seqwrite_1m", "write", "1m", "write"),
    ];

    public bool Random => ReadWrite.StartsWith("rand", StringComparison.Ordinal);

    public IEnumerable<string> Arguments(string file, long fileBytes, int runtimeSeconds) =>
    [
        "--name=" + Name, "--filename=" + file, "--size=" + fileBytes, "--rw=" + ReadWrite, "--bs=" + BlockSize,
        "--ioengine=libaio", "--direct=1", "--iodepth=32", "--numjobs=1", "--time_based",
        "--runtime=" + runtimeSeconds, "--ramp_time=1", "--randrepeat=0", "--group_reporting", "--output-format=json",
    ];
}
