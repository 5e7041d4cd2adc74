using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Csi.V1;
using Loam.Storage;
using Loam.Tests.Chaos.Harness;

namespace Loam.Tests.Chaos.Soak;

/// <summary>
/// The kill soak. Each iteration drives a few volumes concurrently through create, attach, stage,
/// publish, write or verify a data pattern, expand, snapshot and restore or clone (when the driver
/// offers them), unpublish, unstage, detach and (sometimes) delete, while the driver is killed with SIGKILL at random moments or dies at a named crash
/// point, and is restarted; the CO's retries must finish every operation. After each iteration
/// the pool, ListVolumes and the kernel are audited against what the CO believes exists; every
/// few iterations the node "reboots" (all mounts and loop devices vanish) and the CO re-stages and
/// re-publishes. Stops at the first failure, so the seed reproduces it.
/// </summary>
public sealed class SoakRun(SoakOptions options)
{
    private readonly SoakResult _result = new(options.Seed);
    private readonly Random _plan = new(options.Seed);
    private readonly Dictionary<string, CoVolume> _live = new(StringComparer.Ordinal);
    private readonly string[] _crashPoints = [.. typeof(CrashPoints).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    private readonly Stopwatch _clock = new();
    private bool _copies;

    private static bool HaveXfs { get; } = new[] { "/usr/sbin/mkfs.xfs", "/sbin/mkfs.xfs" }.Any(File.Exists);

    public async Task<SoakResult> RunAsync(CancellationToken cancel = default)
    {
        _clock.Start();
        options.Log.WriteLine($"soak seed {options.Seed}, {options.Kills} kills, {options.Slots} slots; crash points: {string.Join(", ", _crashPoints)}");
        await using var bed = options.Containers ? await ChaosBed.StartInContainersAsync("soak") : await ChaosBed.StartAsync("soak");
        // Marks the folder as owned by a live soak, so another soak's clean-up of stale folders skips it.
        await File.WriteAllTextAsync(bed.Root.Combine("soak.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancel);
        var co = new CoClient(bed, new Random(options.Seed ^ 0x5eed));
        try
        {
            _copies = options.Copies && await SupportsCopiesAsync(co);
            options.Log.WriteLine(_copies ? "snapshots, restores and clones are in the mix" : "snapshots and clones are left out of the mix");
            while (_result.Kills < options.Kills && !cancel.IsCancellationRequested && _result.Failures.Count == 0)
            {
                _result.Iterations++;
                await IterationAsync(bed, co);
                if (_result.Failures.Count == 0 && options.RebootEvery > 0 && _result.Iterations % options.RebootEvery == 0)
                    await RebootAsync(bed, co);
                if (_result.Failures.Count == 0)
                    await AuditAsync(bed, co);
                options.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{_clock.Elapsed:hh\\:mm\\:ss}] iteration {_result.Iterations}: kills {_result.Kills} ({_result.CrashPointKills} at crash points), reboots {_result.Reboots}, live volumes {_live.Count}, calls {co.Calls}, retries {co.Retries}, failures {_result.Failures.Count}"));
            }
            if (_result.Failures.Count == 0)
                await FinishAsync(bed, co);
        }
        catch (Exception e)
        {
            _result.Failures.Add($"harness: {e}");
        }
        finally
        {
            _result.Calls = co.Calls;
            _result.Retries = co.Retries;
            _result.Duration = _clock.Elapsed;
            if (_result.Failures.Count > 0)
                options.Log.WriteLine("driver output (last process):\n" + Tail(bed.DriverAlive ? bed.Driver.Output : bed.AllOutput, 60));
        }
        return _result;
    }

    private async Task IterationAsync(ChaosBed bed, CoClient co)
    {
        var names = Enumerable.Range(0, options.Names).Select(i => $"pvc-soak-{i}").OrderBy(_ => _plan.Next()).Take(options.Slots).ToList();
        var scripts = names.Select(name => ScriptAsync(bed, co, name, new Random(_plan.Next()))).ToList();
        var done = Task.WhenAll(scripts);
        await KillWhileAsync(bed, done, options.KillsPerIteration);
        await done;
    }

    /// <summary>One volume's pass, as the CO would make it; the volume survives or is deleted at the end.</summary>
    private async Task ScriptAsync(ChaosBed bed, CoClient co, string name, Random random)
    {
        try
        {
            CoVolume? volume;
            lock (_live)
                _live.TryGetValue(name, out volume);
            if (volume is null)
            {
                // xfs (300 MiB at least) thin only, so thick volumes never fill the pool.
                var xfs = random.Next(3) == 0 && HaveXfs;
                volume = new CoVolume(bed, co, name, xfs ? "xfs" : "ext4");
                await volume.CreateAsync(xfs ? 300L << 20 : (16L + 16 * random.Next(3)) << 20, thick: !xfs && random.Next(4) == 0);
                lock (_live)
                    _live[name] = volume;
                Count(() => _result.Creates++);
            }
            await volume.BringUpAsync();
            if (volume.PatternSha is null)
                volume.WritePattern();
            else
                Check(volume.VerifyPattern());
            if (random.Next(3) == 0 && volume.CanGrowOnline)
            {
                Check(await volume.ExpandAsync(16L << 20));
                Count(() => _result.Expansions++);
            }
            if (random.Next(2) == 0)
                volume.WritePattern();
            Check(volume.VerifyPattern());
            if (_copies && random.Next(3) == 0)
                await CopyAsync(bed, co, volume, random);
            await volume.TakeDownAsync();
            if (random.Next(5) < 2)
            {
                await volume.DeleteAsync();
                lock (_live)
                    _live.Remove(name);
                Count(() => _result.Deletes++);
            }
        }
        catch (Exception e)
        {
            Fail($"{name}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Snapshots the published volume and makes a copy of it, by restore or by clone; the copy must
    /// hold the source's pattern. Copy and snapshot are deleted again, so audits expect neither.
    /// </summary>
    private async Task CopyAsync(ChaosBed bed, CoClient co, CoVolume source, Random random)
    {
        var snapshotId = await source.SnapshotAsync(source.Name + "-snap");
        var copy = new CoVolume(bed, co, source.Name + "-copy", source.FsType);
        var restore = random.Next(2) == 0;
        await copy.CreateFromAsync(source, restore ? snapshotId : null, source.PatternSha);
        await copy.BringUpAsync();
        Check(copy.VerifyPattern());
        await copy.TakeDownAsync();
        await copy.DeleteAsync();
        await source.DeleteSnapshotAsync(snapshotId);
        Count(() =>
        {
            _result.Snapshots++;
            if (restore)
                _result.Restores++;
            else
                _result.Clones++;
        });
    }

    /// <summary>
    /// Kills the driver up to <paramref name="budget"/> times while <paramref name="work"/> runs, each
    /// after a random delay or at a named crash point, and restarts it; the last restart is unarmed
    /// so the work can finish.
    /// </summary>
    private async Task KillWhileAsync(ChaosBed bed, Task work, int budget)
    {
        string? armed = null;
        for (var kill = 0; kill < budget && !work.IsCompleted; kill++)
        {
            var delay = options.MinKillDelay + (options.MaxKillDelay - options.MinKillDelay) * _plan.NextDouble();
            if (armed is not null && await bed.WaitForCrashAsync(delay))
                CountCrashPoint(armed);
            else
            {
                if (armed is null)
                    await Task.WhenAny(work, Task.Delay(delay));
                if (work.IsCompleted)
                    break;
                await bed.KillDriverAsync();
                Count(() => _result.TimedKills++);
            }
            armed = kill < budget - 1 && _plan.NextDouble() < options.CrashPointShare ? _crashPoints[_plan.Next(_crashPoints.Length)] : null;
            while (!await bed.StartDriverAsync(armed))
            {
                CountCrashPoint(armed!);
                armed = null;
            }
        }
        if (armed is not null)
        {
            // The work finished before the armed point was reached: disarm for the audit.
            await bed.StopDriverAsync();
            await bed.StartDriverAsync();
        }
    }

    /// <summary>Publishes some volumes, reboots the node under them, and lets the CO re-stage and re-publish while kills go on.</summary>
    private async Task RebootAsync(ChaosBed bed, CoClient co)
    {
        List<CoVolume> volumes;
        lock (_live)
            volumes = [.. _live.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Take(options.Slots)];
        try
        {
            await Task.WhenAll(volumes.Select(v => v.BringUpAsync()));
            foreach (var volume in volumes)
                Check(volume.VerifyPattern());
            await bed.KillDriverAsync();
            bed.SimulateReboot();
            _result.Reboots++;
            await bed.StartDriverAsync();

            var again = Task.WhenAll(volumes.Select(async v =>
            {
                await v.StageAsync();
                await v.PublishAsync();
            }));
            await KillWhileAsync(bed, again, Math.Max(1, options.KillsPerIteration / 2));
            await again;
            foreach (var volume in volumes)
                Check(volume.VerifyPattern());
            await Task.WhenAll(volumes.Select(v => v.TakeDownAsync()));
        }
        catch (Exception e)
        {
            Fail($"reboot: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Brings every surviving volume up once more, verifies its data, then deletes it: the pool must end empty.</summary>
    private async Task FinishAsync(ChaosBed bed, CoClient co)
    {
        foreach (var volume in _live.Values.ToList())
        {
            await volume.BringUpAsync();
            Check(volume.VerifyPattern());
            await volume.TakeDownAsync();
            await volume.DeleteAsync();
            _live.Remove(volume.Name);
            _result.Deletes++;
        }
        await AuditAsync(bed, co);
    }

    private static async Task<bool> SupportsCopiesAsync(CoClient co)
    {
        var capabilities = await co.Call("ControllerGetCapabilities", (c, o) => c.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest(), o));
        var offered = capabilities.Capabilities.Select(c => c.Rpc?.Type).ToHashSet();
        return offered.Contains(ControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteSnapshot)
            && offered.Contains(ControllerServiceCapability.Types.RPC.Types.Type.CloneVolume);
    }

    private async Task AuditAsync(ChaosBed bed, CoClient co)
    {
        Dictionary<string, long> expected;
        lock (_live)
            expected = _live.Values.ToDictionary(v => v.Id, v => v.CapacityBytes, StringComparer.Ordinal);
        _result.Audits++;
        foreach (var problem in await PoolAudit.CheckAsync(bed, co, expected, [], 0))
            Fail($"audit after iteration {_result.Iterations}: {problem}");
    }

    private void Check(string? problem)
    {
        Count(() => _result.DataChecks++);
        if (problem is not null)
            Fail(problem);
    }

    private void CountCrashPoint(string point) => Count(() =>
    {
        _result.CrashPointKills++;
        _result.CrashPointsHit[point] = _result.CrashPointsHit.GetValueOrDefault(point) + 1;
    });

    private void Fail(string failure)
    {
        Count(() => _result.Failures.Add(failure));
        options.Log.WriteLine("FAILURE: " + failure);
    }

    private void Count(Action update)
    {
        lock (_result)
            update();
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
