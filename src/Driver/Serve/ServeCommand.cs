using System.CommandLine;
using Loam.Csi;
using Loam.Node;
using Loam.Storage;
using Loam.Storage.Pools;

namespace Loam.Driver.Serve;

/// <summary>
/// <c>loam serve --endpoint unix:///PATH --node-id ID --pool NAME=PATH ... [--mode all|controller|node]</c>.
/// This command line is a contract deploy files rely on; environment fallbacks match what
/// Kubernetes manifests pass (CSI_ENDPOINT, KUBE_NODE_NAME).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "CSI socket, unix:///PATH (env CSI_ENDPOINT)", DefaultValueFactory = _ => Env("CSI_ENDPOINT") ?? UnixSocketEndpoint.DefaultAddress };
        var nodeId = new Option<string>("--node-id") { Description = "this node's ID (env KUBE_NODE_NAME; default: host name)", DefaultValueFactory = _ => Env("KUBE_NODE_NAME") ?? Environment.MachineName };
        var pools = new Option<string[]>("--pool") { Description = "NAME=PATH[,reserve=SIZE][,overcommit=RATIO][,shared]; repeatable, the first is the default (env LOAM_POOLS, ';'-separated)", AllowMultipleArgumentsPerToken = false };
        var driverName = new Option<string>("--driver-name") { Description = "CSI driver name", DefaultValueFactory = _ => PluginDescription.DefaultName };
        var mode = new Option<DriverMode>("--mode") { Description = "services to serve: all, controller or node (env LOAM_MODE)", DefaultValueFactory = _ => Enum.TryParse<DriverMode>(Env("LOAM_MODE"), true, out var m) ? m : DriverMode.All };
        var http = new Option<string?>("--http-endpoint") { Description = "HOST:PORT serving /metrics, /healthz and /readyz" };
        var roots = new Option<string[]>("--allowed-root") { Description = $"staging and target paths must lie under one of these; repeatable (default {NodeOptions.DefaultAllowedRoot})" };
        var maxVolumes = new Option<int>("--max-volumes-per-node") { Description = "volumes one node may have attached; 0 for no limit" };
        var defaultSize = new Option<string>("--default-volume-size") { Description = "size of a volume whose request names none", DefaultValueFactory = _ => "1Gi" };
        var maxSize = new Option<string>("--max-volume-size") { Description = "largest volume to make; 0 for no limit", DefaultValueFactory = _ => "0" };
        var fsType = new Option<string>("--default-fs-type") { Description = "filesystem made when a capability names none: ext4, xfs or btrfs", DefaultValueFactory = _ => FileSystemTypes.Ext4 };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "trace, debug, information, warning or error (debug logs requests, secrets redacted)", DefaultValueFactory = _ => LogLevel.Information };

        var command = new Command("serve", "Run the CSI driver on a unix socket.")
        {
            endpoint, nodeId, pools, driverName, mode, http, roots, maxVolumes, defaultSize, maxSize, fsType, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            DriverSettings settings;
            try
            {
                var poolSpecs = parse.GetValue(pools) is { Length: > 0 } given ? given
                    : Env("LOAM_POOLS")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [PoolOptions.DefaultSpec];
                settings = new DriverSettings
                {
                    Endpoint = UnixSocketEndpoint.Parse(parse.GetValue(endpoint)!),
                    DriverName = parse.GetValue(driverName)!,
                    Mode = parse.GetValue(mode),
                    Pools = new PoolSet(poolSpecs.Select(PoolOptions.Parse)),
                    Storage = new StorageOptions
                    {
                        NodeId = parse.GetValue(nodeId)!,
                        MaxVolumesPerNode = parse.GetValue(maxVolumes),
                        DefaultVolumeBytes = ByteSize.Parse(parse.GetValue(defaultSize)!, "--default-volume-size"),
                        MaxVolumeBytes = ByteSize.Parse(parse.GetValue(maxSize)!, "--max-volume-size"),
                        DefaultFsType = parse.GetValue(fsType)!,
                    },
                    AllowedRoots = parse.GetValue(roots) is { Length: > 0 } r ? r : [NodeOptions.DefaultAllowedRoot],
                    HttpEndpoint = parse.GetValue(http),
                    LogLevel = parse.GetValue(logLevel),
                };
            }
            catch (StorageException e)
            {
                await Console.Error.WriteLineAsync($"loam serve: {e.Message}");
                return 2;
            }
            // The options types hold their own rules; the parser only reports what they find.
            var problems = settings.Storage.Validate()
                .Concat(new NodeOptions { AllowedRoots = settings.AllowedRoots }.Validate()).ToList();
            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync($"loam serve: {string.Join("; ", problems)}");
                return 2;
            }
            return await DriverHost.RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
