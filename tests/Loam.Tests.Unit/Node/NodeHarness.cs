using Grpc.Core;
using Loam.Controller;
using Loam.Driver.Serve;
using Loam.Node;
using Loam.Storage;
using Loam.Storage.Nodes;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Volumes;
using Loam.Tests.Unit.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loam.Tests.Unit.Node;

/// <summary>
/// The node as the driver wires it, on a real pool in a temp folder (records and sparse
/// images need no root) and a <see cref="FakeKernel"/> for every kernel-facing seam.
/// CO paths live under <see cref="Root"/> = /co.
/// </summary>
public sealed class NodeHarness : IDisposable
{
    public const string Root = "/co";
    public const string NodeId = "unit-node";

    private readonly ServiceProvider _services;

    /// <param name="replace">
    /// replaces single seams after the harness wired them (a mock that delegates to <see cref="Kernel"/>, say).
    /// </param>
    /// <param name="loggers">every logger of the node; none logs by default.</param>
    public NodeHarness(
        string defaultFsType = FileSystemTypes.Ext4,
        Action<IServiceCollection>? replace = null,
        ILoggerFactory? loggers = null)
    {
        PoolPath = Path.Combine(Path.GetTempPath(), "loam-unit", Guid.NewGuid().ToString("N"));
        var pools = new PoolSet([new PoolOptions("default", PoolPath)]);
        pools.Default.EnsureLayout();
        var services = new ServiceCollection();
        services.AddSingleton(loggers ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), loggers is null ? typeof(NullLogger<>) : typeof(Logger<>));
        services.AddSingleton(Kernel);
        services.AddSingleton<IMountTable>(Kernel);
        services.AddSingleton<ILoopDevices>(Kernel);
        services.AddSingleton<IMounter>(Kernel);
        services.AddSingleton<IHostFiles>(Kernel);
        services.AddSingleton<IFileSystemTools>(Kernel);
        services.AddSingleton<IFileSystemSpace>(Kernel);
        services.AddSingleton<IFileSystemFreezer>(Freezer);
        services.AddLoamStorage(pools, new StorageOptions { NodeId = NodeId, DefaultFsType = defaultFsType });
        services.AddLoamNode(new NodeOptions { AllowedRoots = [Root] });
        services.AddSingleton<NodeService>();
        // The controller of the same process (mode all), which sees this node's kernel.
        services.AddSingleton<INodeVolumeUse, KernelVolumeUse>();
        services.AddSingleton<ControllerService>();
        services.AddSingleton<ListedVolumes>();
        replace?.Invoke(services);
        _services = services.BuildServiceProvider();
        Kernel.MakeDirectory(Root);
    }

    public FakeKernel Kernel { get; } = new();
    public FakeFreezer Freezer { get; } = new();
    public string PoolPath { get; }
    public NodeService Node => Get<NodeService>();
    public ControllerService Controller => Get<ControllerService>();
    public VolumeProvisioner Provisioner => Get<VolumeProvisioner>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public StoredVolume CreateVolume(string name, long size = 64L << 20, string? fsType = null, AccessType type = AccessType.Mount, string? node = null)
    {
        var volume = Provisioner.Create(new CreateVolumeSpec
        {
            Name = name,
            Capacity = new CapacityRange(size, 0),
            Capabilities = [new VolumeCapabilitySpec(type, AccessMode.SingleNodeWriter, fsType)],
        });
        if (node is not null)
        {
            var record = volume.Record with { Node = node };
            Get<VolumeStore>().Save(volume.Pool, record);
            volume = volume with { Record = record };
        }
        return volume;
    }

    /// <summary>A staging directory made by the CO.</summary>
    public string Staging(string name = "staging")
    {
        var path = $"{Root}/{name}";
        Kernel.MakeDirectory(path);
        return path;
    }

    /// <summary>A target whose parent the CO made.</summary>
    public string Target(string name = "target")
    {
        Kernel.MakeDirectory($"{Root}/pods/{name}");
        return $"{Root}/pods/{name}/mount";
    }

    public static ServerCallContext Call() => new TestCallContext();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(PoolPath, recursive: true);
    }

    private sealed class TestCallContext : ServerCallContext
    {
        protected override string MethodCore => "test";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "unix:test";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
