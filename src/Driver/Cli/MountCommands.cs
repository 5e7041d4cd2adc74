using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Loam.Client;

namespace Loam.Driver.Cli;

/// <summary>
/// <c>loam mount ID DIR</c>, <c>loam unmount DIR</c> and <c>loam stats DIR</c>: the node side
/// as a CO drives it, with the CLI's own staging folder and a state file to undo from.
/// </summary>
public static class MountCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Mount();
        yield return Unmount();
        yield return Stats();
    }

    private static Option<string> StateFile() => new("--state-file")
    {
        Description = $"where the CLI records its mounts (env {MountStateFile.EnvironmentVariable}; default {MountStateFile.DefaultPath})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(MountStateFile.EnvironmentVariable) is { Length: > 0 } p ? p : MountStateFile.DefaultPath,
    };

    private static Command Mount()
    {
        var id = new Argument<string>("ID") { Description = "volume ID" };
        var dir = new Argument<string>("DIR") { Description = "where to mount it (for --block: a file the device is bound onto)" };
        var readOnly = new Option<bool>("--ro") { Description = "mount read-only" };
        var block = new Option<bool>("--block") { Description = "publish the raw block device instead of a filesystem" };
        var staging = new Option<string?>("--staging-dir") { Description = "staging folder (default DIR's parent/.loam-staging-HASH; it must lie where the driver allows)" };
        var state = StateFile();
        return ClientVerb.Create("mount", "Stage and publish a volume at DIR, as a CO would (ControllerPublish, NodeStage, NodePublish).", async (parse, cli, cancellationToken) =>
        {
            var volumeId = parse.GetValue(id)!;
            var target = Path.GetFullPath(parse.GetValue(dir)!);
            var stagingPath = parse.GetValue(staging) is { } s ? Path.GetFullPath(s) : DefaultStaging(target, volumeId);
            var file = new MountStateFile(parse.GetValue(state)!);
            MountRecord? mounted = null;
            await file.UpdateAsync(async records =>
            {
                if (records.Any(r => r.TargetPath == target))
                    throw new CliException(ExitCodes.MountState, $"{target} is already mounted by loam mount; unmount it first");
                var mounter = new NodeMounter(cli.Client, await cli.Client.DescribeAsync(cancellationToken));
                var plan = await mounter.PlanAsync(volumeId, target, stagingPath, parse.GetValue(readOnly), parse.GetValue(block), cancellationToken);
                mounted = await mounter.MountAsync(plan, cancellationToken);
                records.Add(mounted);
            });
            cli.Answer(mounted!, CliJson.Default.MountRecord, output =>
                output.WriteLine($"mounted {volumeId} at {target}{(mounted!.StagingPath is { } p ? $" (staged at {p})" : "")}"));
        }, id, dir, readOnly, block, staging, state);
    }

    private static Command Unmount()
    {
        var dir = new Argument<string>("DIR") { Description = "a path `loam mount` mounted" };
        var state = StateFile();
        return ClientVerb.Create("unmount", "Undo `loam mount`: NodeUnpublish, NodeUnstage, ControllerUnpublish.", async (parse, cli, cancellationToken) =>
        {
            var target = Path.GetFullPath(parse.GetValue(dir)!);
            await new MountStateFile(parse.GetValue(state)!).UpdateAsync(async records =>
            {
                var record = records.FirstOrDefault(r => r.TargetPath == target) ?? throw NotMounted(target, parse.GetValue(state)!);
                var mounter = new NodeMounter(cli.Client, await cli.Client.DescribeAsync(cancellationToken));
                await mounter.UnmountAsync(record, cancellationToken);
                records.Remove(record);
            });
            cli.Answer(new DeletedView(target), CliJson.Default.DeletedView, output => output.WriteLine($"unmounted {target}"));
        }, dir, state);
    }

    private static Command Stats()
    {
        var dir = new Argument<string>("DIR") { Description = "a mounted volume's path" };
        var volume = new Option<string?>("--volume") { Description = "the volume's ID (default: the one `loam mount` mounted at DIR)" };
        var state = StateFile();
        return ClientVerb.Create("stats", "Show a mounted volume's usage and condition (NodeGetVolumeStats).", async (parse, cli, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(dir)!);
            var record = new MountStateFile(parse.GetValue(state)!).Find(path);
            var volumeId = parse.GetValue(volume) ?? record?.VolumeId ?? throw NotMounted(path, parse.GetValue(state)!, "; name the volume with --volume");
            var view = StatsView.Of(volumeId, path, await cli.Client.VolumeStatsAsync(volumeId, path, record?.StagingPath, cancellationToken));
            cli.Answer(view, CliJson.Default.StatsView, output =>
            {
                var table = new TextTable("UNIT", "TOTAL", "USED", "AVAILABLE");
                foreach (var u in view.Usage)
                {
                    table.Add(u.Unit, Format(u.Unit, u.Total), Format(u.Unit, u.Used), Format(u.Unit, u.Available));
                }
                output.WriteLine($"{volumeId} at {path}: {(view.Abnormal ? "ABNORMAL: " + view.ConditionMessage : "healthy")}");
                table.WriteTo(output);
            });
        }, dir, volume, state);
    }

    private static string Format(string unit, long value) =>
        unit == "bytes" ? CliContext.Size(value) : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Beside the target, named by a hash of the volume ID: any driver's IDs, never a path built from one.</summary>
    private static string DefaultStaging(string target, string volumeId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(volumeId)))[..16];
        return Path.Combine(Path.GetDirectoryName(target) ?? "/", ".loam-staging-" + hash);
    }

    private static CliException NotMounted(string path, string stateFile, string more = "") =>
        new(ExitCodes.MountState, $"{path} was not mounted by loam mount (state file {stateFile}){more}");
}
