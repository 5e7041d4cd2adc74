using System.CommandLine;

namespace Loam.Driver.Cli;

/// <summary><c>loam snapshot create|list|delete</c>.</summary>
public static class SnapshotCommands
{
    public static Command Create()
    {
        var snapshot = new Command("snapshot", "Create, list and delete snapshots (Controller service).");
        var name = new Argument<string>("NAME") { Description = "the snapshot's name (the same name always yields the same snapshot)" };
        var volume = new Option<string>("--volume") { Description = "ID of the volume to snapshot", Required = true };
        snapshot.Subcommands.Add(ClientVerb.Create("create", "Snapshot a volume (CreateSnapshot).", async (parse, cli, cancellationToken) =>
        {
            var view = SnapshotView.Of(await cli.Client.CreateSnapshotAsync(parse.GetValue(name)!, parse.GetValue(volume)!, cancellationToken));
            cli.Answer(view, CliJson.Default.SnapshotView, output => Table([view]).WriteTo(output));
        }, name, volume));
        snapshot.Subcommands.Add(ClientVerb.Create("list", "List every snapshot.", async (_, cli, cancellationToken) =>
        {
            var views = (await cli.Client.ListSnapshotsAsync(cancellationToken)).Select(SnapshotView.Of).ToList();
            cli.Answer(views, CliJson.Default.ListSnapshotView, output => Table(views).WriteTo(output));
        }));
        var id = new Argument<string>("ID") { Description = "snapshot ID" };
        snapshot.Subcommands.Add(ClientVerb.Create("delete", "Delete a snapshot.", async (parse, cli, cancellationToken) =>
        {
            var snapshotId = parse.GetValue(id)!;
            await cli.Client.DeleteSnapshotAsync(snapshotId, cancellationToken);
            cli.Answer(new DeletedView(snapshotId), CliJson.Default.DeletedView, output => output.WriteLine($"deleted {snapshotId}"));
        }, id));
        return snapshot;
    }

    private static TextTable Table(IEnumerable<SnapshotView> snapshots)
    {
        var table = new TextTable("ID", "SOURCE VOLUME", "SIZE", "CREATED", "READY");
        foreach (var s in snapshots)
        {
            table.Add(s.SnapshotId, s.SourceVolumeId, CliContext.Size(s.SizeBytes),
                s.CreationTime?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                s.ReadyToUse ? "yes" : "no");
        }
        return table;
    }
}
