using System.CommandLine;

namespace Loam.Driver.Cli;

/// <summary><c>loam info</c>: GetPluginInfo, Probe, and every capability of every service.</summary>
public static class InfoCommand
{
    public static Command Create() => ClientVerb.Create("info", "Show the plugin's name, version, readiness and all its capabilities.", async (_, cli, cancellationToken) =>
    {
        var report = await cli.Client.DescribeAsync(cancellationToken);
        cli.Answer(report, CliJson.Default.PluginReport, output =>
        {
            output.WriteLine($"name:     {report.Name}");
            output.WriteLine($"version:  {report.VendorVersion}");
            output.WriteLine($"ready:    {(report.Ready ? "yes" : "no")}");
            foreach (var (key, value) in report.Manifest)
                output.WriteLine($"manifest: {key}={value}");
            var table = new TextTable("SERVICE", "CAPABILITY");
            foreach (var (service, names) in new[] { ("plugin", report.Plugin), ("controller", report.Controller), ("node", report.Node), ("group-controller", report.GroupController) })
            {
                foreach (var name in names)
                    table.Add(service, name);
            }
            output.WriteLine();
            table.WriteTo(output);
        });
    });
}
