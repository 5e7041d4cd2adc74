using System.CommandLine;
using Loam.Client;

namespace Loam.Driver.Cli;

/// <summary><c>loam volume create|list|get|expand|delete</c>.</summary>
public static class VolumeCommands
{
    public static Command Create()
    {
        var volume = new Command("volume", "Create, list, inspect, expand and delete volumes (Controller service).");
        volume.Subcommands.Add(CreateVolume());
        volume.Subcommands.Add(ClientVerb.Create("list", "List every volume.", async (_, cli, cancellationToken) =>
        {
            var views = (await cli.Client.ListVolumesAsync(cancellationToken)).Select(VolumeView.Of).ToList();
            cli.Answer(views, CliJson.Default.ListVolumeView, output => Table(views).WriteTo(output));
        }));
        var getId = new Argument<string>("ID") { Description = "volume ID" };
        volume.Subcommands.Add(ClientVerb.Create("get", "Show one volume.", async (parse, cli, cancellationToken) =>
        {
            var view = VolumeView.Of(await cli.Client.GetVolumeAsync(parse.GetValue(getId)!, cancellationToken));
            cli.Answer(view, CliJson.Default.VolumeView, output => Table([view]).WriteTo(output));
        }, getId));
        var expandId = new Argument<string>("ID") { Description = "volume ID" };
        var expandSize = new Option<string>("--size") { Description = "new size, e.g. 2Gi", Required = true };
        volume.Subcommands.Add(ClientVerb.Create("expand", "Grow a volume (ControllerExpandVolume; a mounted filesystem is grown by the node).", async (parse, cli, cancellationToken) =>
        {
            var id = parse.GetValue(expandId)!;
            var response = await cli.Client.ExpandVolumeAsync(id, CliContext.ParseSize(parse.GetValue(expandSize)!, "--size"), cancellationToken: cancellationToken);
            var view = new ExpandView(id, response.CapacityBytes, response.NodeExpansionRequired);
            cli.Answer(view, CliJson.Default.ExpandView, output =>
                output.WriteLine($"{id} is now {CliContext.Size(view.CapacityBytes)}{(view.NodeExpansionRequired ? " (the node grows its filesystem on the next mount or NodeExpandVolume)" : "")}"));
        }, expandId, expandSize));
        var deleteId = new Argument<string>("ID") { Description = "volume ID" };
        volume.Subcommands.Add(ClientVerb.Create("delete", "Delete a volume.", async (parse, cli, cancellationToken) =>
        {
            var id = parse.GetValue(deleteId)!;
            await cli.Client.DeleteVolumeAsync(id, cancellationToken);
            cli.Answer(new DeletedView(id), CliJson.Default.DeletedView, output => output.WriteLine($"deleted {id}"));
        }, deleteId));
        return volume;
    }

    private static Command CreateVolume()
    {
        var name = new Argument<string>("NAME") { Description = "the volume's name (the same name always yields the same volume)" };
        var size = new Option<string>("--size") { Description = "size, e.g. 1Gi", Required = true };
        var fs = new Option<string>("--fs") { Description = "filesystem: ext4, xfs or btrfs (default: the driver's)" };
        fs.AcceptOnlyFromAmong("ext4", "xfs", "btrfs");
        var block = new Option<bool>("--block") { Description = "a raw block volume instead of a filesystem" };
        var parameters = new Option<string[]>("--param") { Description = "a StorageClass parameter KEY=VALUE; repeatable" };
        var fromSnapshot = new Option<string?>("--from-snapshot") { Description = "restore from this snapshot ID" };
        var fromVolume = new Option<string?>("--from-volume") { Description = "clone this volume ID" };
        return ClientVerb.Create("create", "Create a volume (CreateVolume).", async (parse, cli, cancellationToken) =>
        {
            if (parse.GetValue(block) && parse.GetValue(fs) is not null)
                throw CliException.Usage("--fs and --block exclude each other: a block volume has no filesystem");
            if (parse.GetValue(fromSnapshot) is not null && parse.GetValue(fromVolume) is not null)
                throw CliException.Usage("--from-snapshot and --from-volume exclude each other");
            var spec = new VolumeSpec(parse.GetValue(name)!, CliContext.ParseSize(parse.GetValue(size)!, "--size"))
            {
                FsType = parse.GetValue(fs) ?? "",
                Block = parse.GetValue(block),
                Parameters = ParseParameters(parse.GetValue(parameters) ?? []),
                FromSnapshotId = parse.GetValue(fromSnapshot),
                FromVolumeId = parse.GetValue(fromVolume),
            };
            var view = VolumeView.Of(await cli.Client.CreateVolumeAsync(spec, cancellationToken));
            cli.Answer(view, CliJson.Default.VolumeView, output => Table([view]).WriteTo(output));
        }, name, size, fs, block, parameters, fromSnapshot, fromVolume);
    }

    private static Dictionary<string, string> ParseParameters(string[] pairs)
    {
        var parameters = new Dictionary<string, string>();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw CliException.Usage($"--param '{pair}' is not KEY=VALUE");
            parameters[pair[..equals]] = pair[(equals + 1)..];
        }
        return parameters;
    }

    private static TextTable Table(IEnumerable<VolumeView> volumes)
    {
        var table = new TextTable("ID", "SIZE", "SOURCE", "NODES", "CONTEXT");
        foreach (var v in volumes)
        {
            table.Add(v.VolumeId, CliContext.Size(v.CapacityBytes), v.Source,
                v.PublishedNodeIds.Count > 0 ? string.Join(',', v.PublishedNodeIds) : "-",
                string.Join(' ', v.VolumeContext.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }
        return table;
    }
}
