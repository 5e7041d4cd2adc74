using Csi.V1;
using Grpc.Core;

namespace Loam.Tests.Conformance.SnapshotMetadata;

/// <summary>Metadata requests are logged at debug level with their secrets masked.</summary>
public sealed class SnapshotMetadataLoggingTests : IAsyncLifetime
{
    private const string Secret = "metadata-secret-that-must-never-be-logged";
    private readonly TestRoot _root = new("metalog");
    private DriverProcess _driver = null!;

    public async Task InitializeAsync() =>
        _driver = await DriverProcess.StartAsync(_root.Combine("csi.sock"),
            ["--node-id", "n1", "--pool", $"default={_root.Folder("pool")}", "--log-level", "debug"]);

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Secrets_of_metadata_calls_never_reach_the_log()
    {
        using var placed = new PlacedSnapshots(_root.Combine("pool"));
        var first = placed.Place("vol-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1 << 20, (0, 4096, 1));
        var second = placed.Place("vol-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1 << 20, (0, 4096, 2));
        var allocated = new GetMetadataAllocatedRequest { SnapshotId = first };
        allocated.Secrets.Add("token", Secret);
        var delta = new GetMetadataDeltaRequest { BaseSnapshotId = first, TargetSnapshotId = second };
        delta.Secrets.Add("token", Secret);

        using (var call = _driver.Csi.SnapshotMetadata.GetMetadataAllocated(allocated))
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
        using (var call = _driver.Csi.SnapshotMetadata.GetMetadataDelta(delta))
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
        await _driver.StopAsync();

        var log = _driver.Output;
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
        Assert.Matches(@"/csi\.v1\.SnapshotMetadata/GetMetadataAllocated OK in \d+\.\d ms", log);
        Assert.Matches(@"/csi\.v1\.SnapshotMetadata/GetMetadataDelta OK in \d+\.\d ms", log);
        Assert.Contains("***stripped***", log, StringComparison.Ordinal);
    }
}
