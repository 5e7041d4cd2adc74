using System.Reflection;
using Csi.V1;
using Loam.Controller;
using Loam.Controller.SnapshotMetadata;
using Loam.Csi;
using Loam.Csi.Http2;
using Loam.Driver.Metrics;
using Loam.Node;
using Loam.Storage;
using Loam.Storage.Nodes;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots;
using Loam.Storage.Volumes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PluginType = Csi.V1.PluginCapability.Types.Service.Types.Type;
using ExpansionType = Csi.V1.PluginCapability.Types.VolumeExpansion.Types.Type;

namespace Loam.Driver.Serve;

/// <summary>
/// Hosts the CSI services on the unix socket (HTTP/2 only) and, when asked, health and
/// metrics over HTTP/1.1. Before accepting calls it lays out the pools, sweeps what a crash
/// left (controller), and registers the node in shared pools (node). SIGTERM lets in-flight
/// calls finish, then the socket is removed.
/// </summary>
public static class DriverHost
{
    public static async Task<int> RunAsync(DriverSettings settings, CancellationToken cancellationToken)
    {
        // Storage calls block on fsync, mkfs and mount. The pool starts with one thread per
        // core and adds more slowly, which serialised concurrent CreateVolume calls behind fsync.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumWorkerThreads), io);
        // No config reload: its file watcher put an inotify watch on every folder below the
        // working directory at start (all of / under a unit without WorkingDirectory).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kubelets before 1.26 send the socket's path as :authority, which Kestrel rejects; the relay
            // rewrites it on this socket only, the HTTP/1.1 endpoint keeps Kestrel's host checks.
            var http2 = kestrel.Limits.Http2;
            kestrel.ListenUnixSocket(settings.Endpoint.Path, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                o.Use(Http2AuthorityRelay.Middleware(http2.MaxFrameSize, http2.HeaderTableSize));
            });
            if (settings.HttpEndpoint is { } http)
                kestrel.Listen(HttpEndpointAddress.Parse(http), o => o.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc(o => o.Interceptors.Add<CsiCallInterceptor>());
        builder.Services.AddLoamStorage(settings.Pools, settings.Storage);
        builder.Services.AddSingleton(Describe(settings));
        if (settings.Mode.ServesNode())
            builder.Services.AddLoamNode(new NodeOptions { AllowedRoots = settings.AllowedRoots });
        // The controller may undo what a CO left staged on this node only when it sees this node's kernel.
        if (settings.Mode == DriverMode.All)
            builder.Services.AddSingleton<INodeVolumeUse, KernelVolumeUse>();
        else if (settings.Mode == DriverMode.Controller)
            builder.Services.AddSingleton<INodeVolumeUse, UnservedNode>();
        // gRPC makes a service per call: the list cache, which must outlive a call, is a singleton.
        if (settings.Mode.ServesController())
            builder.Services.AddSingleton<ListedVolumes>();
        if (settings.HttpEndpoint is not null)
            builder.Services.AddLoamMetrics(new DriverIdentity(settings.DriverName, Version,
                settings.Mode.ToString().ToLowerInvariant(), settings.Storage.NodeId));

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Loam.Driver");
        DriverLog.Starting(logger, Version, settings.Mode.ToString().ToLowerInvariant(), settings.Storage.NodeId,
            string.Join(", ", settings.Pools));
        // Held until the process ends: while this driver serves, no other of its role starts on its pools.
        IDisposable ownership;
        try
        {
            ownership = Prepare(app.Services, settings, logger);
            if (settings.Endpoint.Prepare())
                CsiLog.StaleSocketRemoved(logger, settings.Endpoint.Path);
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
        {
            DriverLog.CannotStart(logger, e.Message);
            return 1;
        }

        app.MapGrpcService<IdentityService>();
        if (settings.Mode.ServesController())
        {
            app.MapLoamController();
            app.MapGrpcService<SnapshotMetadataService>();
        }
        if (settings.Mode.ServesNode())
            app.MapLoamNode();
        if (settings.HttpEndpoint is not null)
        {
            MapHealth(app);
            app.MapLoamMetrics();
        }

        // Files Loam creates (records, images, the socket) are for root and its group only.
        FileCreationMask.DenyOthers();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            settings.Endpoint.Restrict();
            CsiLog.Serving(logger, settings.Mode.ToString().ToLowerInvariant(), settings.Endpoint.ToString());
            _ = IdleMemoryTrim.Schedule(app.Lifetime.ApplicationStopping);
        });
        try
        {
            await app.RunAsync();
        }
        finally
        {
            settings.Endpoint.Remove();
            ownership.Dispose();
            DriverLog.Stopped(logger, settings.Endpoint.Path);
        }
        return 0;
    }

    private const int MinimumWorkerThreads = 32;

    public static string Version { get; } =
        typeof(DriverHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?
            .InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static IDisposable Prepare(IServiceProvider services, DriverSettings settings, ILogger logger)
    {
        foreach (var pool in settings.Pools)
            pool.EnsureLayout();
        var ownership = services.GetRequiredService<PoolOwnership>().Acquire(settings.Pools, Roles(settings.Mode),
            new PoolServer(Environment.ProcessId, settings.Storage.NodeId, settings.Mode.ToString().ToLowerInvariant(),
                settings.DriverName, settings.Endpoint.ToString()));
        try
        {
            PrepareOwned(services, settings, logger);
        }
        catch
        {
            ownership.Dispose();
            throw;
        }
        return ownership;
    }

    private static PoolRole[] Roles(DriverMode mode) => mode switch
    {
        DriverMode.Controller => [PoolRole.Controller],
        DriverMode.Node => [PoolRole.Node],
        _ => [PoolRole.Controller, PoolRole.Node],
    };

    private static void PrepareOwned(IServiceProvider services, DriverSettings settings, ILogger logger)
    {
        if (settings.Mode.ServesController())
        {
            var sweeper = services.GetRequiredService<PoolSweeper>();
            // Both log what they remove or thaw themselves (StorageLog).
            foreach (var pool in settings.Pools)
                sweeper.Sweep(pool);
            services.GetRequiredService<VolumeFreezer>().ThawLeftovers(settings.Pools);
        }
        // After the sweep, which removes records of its own: lists, counts and capacity read the index from here on.
        services.GetRequiredService<VolumeStore>().Index.Reload();
        services.GetRequiredService<SnapshotStore>().Index.Reload();
        if (settings.Mode.ServesNode())
            services.GetRequiredService<NodeDirectory>().RegisterSelf();
        foreach (var problem in services.GetRequiredService<PoolHealth>().Problems())
            DriverLog.NotReady(logger, problem);
    }

    private static PluginDescription Describe(DriverSettings settings)
    {
        var capabilities = new List<PluginCapability>
        {
            PluginDescription.Service(PluginType.VolumeAccessibilityConstraints),
            PluginDescription.Expansion(ExpansionType.Online),
        };
        // Snapshots, groups and their metadata live in the controller's pools.
        if (settings.Mode.ServesController())
        {
            capabilities.Insert(0, PluginDescription.Service(PluginType.ControllerService));
            capabilities.Add(PluginDescription.Service(PluginType.GroupControllerService));
            capabilities.Add(PluginDescription.Service(PluginType.SnapshotMetadataService));
        }
        return new PluginDescription(settings.DriverName, Version, capabilities);
    }

    private static void MapHealth(WebApplication app)
    {
        app.MapGet("/healthz", () => "ok\n");
        app.MapGet("/readyz", (PoolHealth health) => health.Problems() is { Count: > 0 } problems
            ? Results.Text(string.Join('\n', problems) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
    }
}
