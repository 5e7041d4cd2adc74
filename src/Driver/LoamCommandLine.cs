using System.CommandLine;
using Loam.Driver.Cli;
using Loam.Driver.Serve;

namespace Loam.Driver;

/// <summary>The `loam` command line: `serve` runs the driver; the other verbs are CSI clients of any endpoint.</summary>
public static class LoamCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Loam: a CSI driver for volumes that are sparse image files on loop devices.");
        root.Add(ServeCommand.Create());
        root.Add(InfoCommand.Create());
        root.Add(VolumeCommands.Create());
        root.Add(SnapshotCommands.Create());
        foreach (var command in MountCommands.Create())
            root.Add(command);
        return root;
    }
}
