using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Loam.Client;
using Loam.Storage;

namespace Loam.Bench;

/// <summary>
/// <c>loam-bench SCENARIO --endpoint unix:///A.sock [--endpoint unix:///B.sock] ...</c>: runs the
/// scenario against each endpoint in turn (so two drivers compare in one run), prints a
/// table with a column per endpoint, then one JSON line. Exit 0, or 1 when a scenario failed.
/// </summary>
public static class BenchCommandLine
{
    private delegate Task<Dictionary<string, double>> Scenario(CsiClient client, BenchOptions options, CancellationToken cancellationToken);

    public static RootCommand Build()
    {
        var root = new RootCommand("loam-bench: load, latency, start-up and memory figures for any CSI driver.");
        root.Add(Rpc("provision", "N CreateVolume, then N DeleteVolume, at concurrency C.", ProvisionScenario.RunAsync, count: 100));
        root.Add(Rpc("publish", "ControllerPublish, NodeStage (first stage: includes mkfs), NodePublish, and back, for N volumes of --size.", PublishScenario.RunAsync, count: 8));
        root.Add(Rpc("snapshot", "Write --data-mib through a mount, snapshot, restore, verify.", SnapshotScenario.RunAsync, count: 1));
        root.Add(Metadata());
        root.Add(Rpc("scale", "Grow a pool to --count volumes; CreateVolume and ListVolumes latency as the count grows.", ScaleScenario.RunAsync, count: 10_000, size: "1Mi", block: true));
        root.Add(Datapath());
        root.Add(Startup());
        return root;
    }

    private static Command Metadata()
    {
        var writes = new Option<int>("--writes") { Description = "random 64 KiB blocks written before each of the two snapshots", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "seed of the offsets and data written", DefaultValueFactory = _ => 1 };
        var driverPid = new Option<int?>("--driver-pid") { Description = "the driver's process ID: report its VmRSS and VmHWM before and after the metadata calls" };
        return Rpc("metadata", "Block volume of --size: --writes random 64 KiB blocks, snapshot A, --writes more, snapshot B; time GetMetadataAllocated(A) and GetMetadataDelta(A, B), verify the delta.",
            MetadataScenario.RunAsync, count: 1, block: true, extra: [writes, seed, driverPid],
            configure: (parse, options) => options with { Writes = Math.Max(1, parse.GetValue(writes)), Seed = parse.GetValue(seed), DriverPid = parse.GetValue(driverPid) });
    }

    private static Command Datapath()
    {
        var poolDirs = new Option<string[]>("--pool-dir") { Description = "a folder in the pool's filesystem; one per --endpoint, in order", Required = true };
        var fileMiB = new Option<int>("--file-mib") { Description = "size of the file fio works on", DefaultValueFactory = _ => 2048 };
        var runtime = new Option<int>("--runtime") { Description = "seconds per fio job", DefaultValueFactory = _ => 15 };
        var rounds = new Option<int>("--rounds") { Description = "times each job runs on each side", DefaultValueFactory = _ => 2 };
        var parameters = new Option<string[]>("--param") { Description = "CreateVolume parameter KEY=VALUE (repeatable), e.g. provisioning=thick" };
        return Rpc("datapath", "fio (libaio, direct, queue depth 32) on the pool's filesystem and inside a volume, alternating; ratios volume / pool.",
            (client, options, ct) => DatapathScenario.RunAsync(client, options, options.PoolDir(), ct), count: 1, size: "4Gi",
            extra: [poolDirs, fileMiB, runtime, rounds, parameters],
            configure: (parse, options) => options with
            {
                PoolDirs = parse.GetValue(poolDirs)!,
                FileMiB = Math.Max(1, parse.GetValue(fileMiB)),
                RuntimeSeconds = Math.Max(1, parse.GetValue(runtime)),
                Rounds = Math.Max(1, parse.GetValue(rounds)),
                Parameters = (parse.GetValue(parameters) ?? []).Select(ParseParameter).ToDictionary(p => p.Key, p => p.Value),
            });
    }

    private static KeyValuePair<string, string> ParseParameter(string text) =>
        text.Split('=', 2) is [{ Length: > 0 } key, var value] ? new(key, value) : throw new ArgumentException($"--param '{text}' is not KEY=VALUE");

    /// <param name="extra">options only this scenario reads</param>
    /// <param name="configure">copies the values of <paramref name="extra"/> into the options</param>
    private static Command Rpc(string name, string description, Scenario scenario, int count, string size = "1Gi", bool block = false,
        Option[]? extra = null, Func<ParseResult, BenchOptions, BenchOptions>? configure = null)
    {
        var endpoints = new Option<string[]>("--endpoint") { Description = "CSI endpoint unix:///PATH; repeat to compare drivers", Required = true };
        var countOption = new Option<int>("--count") { Description = "volumes", DefaultValueFactory = _ => count };
        var concurrency = new Option<int>("--concurrency") { Description = "calls in flight", DefaultValueFactory = _ => 1 };
        var sizeOption = new Option<string>("--size") { Description = "volume size", DefaultValueFactory = _ => size };
        var fs = new Option<string>("--fs") { Description = "filesystem of mount volumes (default: the driver's)", DefaultValueFactory = _ => "" };
        var blockOption = new Option<bool>("--block") { Description = "raw block volumes", DefaultValueFactory = _ => block };
        var mountRoot = new Option<string?>("--mount-root") { Description = "folder below the driver's allowed root for staging folders and targets" };
        var dataMiB = new Option<int>("--data-mib") { Description = "MiB to write and verify (snapshot)", DefaultValueFactory = _ => 64 };
        var command = new Command(name, description) { endpoints, countOption, concurrency, sizeOption, fs, blockOption, mountRoot, dataMiB };
        foreach (var option in extra ?? [])
            command.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new BenchOptions
            {
                Count = parse.GetValue(countOption),
                Concurrency = Math.Max(1, parse.GetValue(concurrency)),
                SizeBytes = ByteSize.TryParse(parse.GetValue(sizeOption), out var bytes) ? bytes : throw new ArgumentException($"--size '{parse.GetValue(sizeOption)}' is not a size"),
                FsType = parse.GetValue(fs)!,
                Block = parse.GetValue(blockOption),
                MountRoot = parse.GetValue(mountRoot),
                DataMiB = parse.GetValue(dataMiB),
            };
            options = configure?.Invoke(parse, options) ?? options;
            var parameters = new Dictionary<string, string>
            {
                ["count"] = options.Count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
                ["size"] = ByteSize.Format(options.SizeBytes),
                ["volume"] = options.Block ? "block" : options.FsType is { Length: > 0 } f ? f : "mount",
            };
            var targets = parse.GetValue(endpoints)!;
            return await RunAsync(name, parameters, targets, async endpoint =>
            {
                using var connection = CsiConnection.Open(endpoint);
                var client = new CsiClient(connection);
                // Warm up: the connection, and this process's own JIT of the client paths, before anything is timed.
                await client.DescribeAsync(cancellationToken);
                var current = options with { EndpointIndex = Array.IndexOf(targets, endpoint), EndpointCount = targets.Length };
                return await scenario(client, current, cancellationToken);
            });
        });
        return command;
    }

    private static Command Startup()
    {
        var exec = new Option<string[]>("--exec") { Description = "a driver command line (split on spaces); repeat to compare, paired with --endpoint in order", Required = true };
        var endpoints = new Option<string[]>("--endpoint") { Description = "the endpoint the matching --exec listens on", Required = true };
        var repeat = new Option<int>("--repeat") { Description = "start-ups per driver", DefaultValueFactory = _ => 5 };
        var idle = new Option<int>("--idle-ms") { Description = "idle time before reading RSS", DefaultValueFactory = _ => 1000 };
        var command = new Command("startup", "Exec a driver, time to its first good Probe and its idle RSS; repeated, p50.") { exec, endpoints, repeat, idle };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var commands = parse.GetValue(exec)!;
            var addresses = parse.GetValue(endpoints)!;
            if (commands.Length != addresses.Length)
            {
                await Console.Error.WriteLineAsync("startup: give one --endpoint per --exec");
                return 2;
            }
            var options = new BenchOptions { Repeat = Math.Max(1, parse.GetValue(repeat)), Idle = TimeSpan.FromMilliseconds(parse.GetValue(idle)) };
            var pairs = commands.Zip(addresses).ToDictionary(p => p.Second, p => p.First);
            var parameters = new Dictionary<string, string> { ["repeat"] = options.Repeat.ToString(CultureInfo.InvariantCulture), ["idle_ms"] = parse.GetValue(idle).ToString(CultureInfo.InvariantCulture) };
            return await RunAsync("startup", parameters, addresses, endpoint => StartupScenario.RunAsync(pairs[endpoint], endpoint, options, cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(string scenario, Dictionary<string, string> parameters, string[] targets, Func<string, Task<Dictionary<string, double>>> run)
    {
        var results = new List<BenchResult>();
        foreach (var target in targets)
        {
            try
            {
                results.Add(new BenchResult(scenario, target, await run(target)));
            }
            catch (Exception e) when (e is RpcException or ArgumentException or InvalidOperationException or TimeoutException or IOException)
            {
                await Console.Error.WriteLineAsync($"{scenario} against {target} failed: {(e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message)}");
                return 1;
            }
        }
        new BenchReport(scenario, parameters, results).WriteTo(Console.Out);
        return 0;
    }
}
