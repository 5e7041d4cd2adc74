using Csi.V1;
using Grpc.Core;
using MetadataClient = Csi.V1.SnapshotMetadata.SnapshotMetadataClient;

namespace Loam.Tests.Conformance.SnapshotMetadata;

/// <summary>
/// The SnapshotMetadata service over the socket: streamed allocated and changed ranges, and the
/// spec's error codes. Snapshots are placed in the pool by hand, as CreateSnapshot would leave them.
/// </summary>
public sealed class SnapshotMetadataSpecs(SanityDriver driver) : SanityTest(driver)
{
    private const long Size = 16L << 20;
    private const string VolumeA = "vol-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string VolumeB = "vol-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private readonly PlacedSnapshots _placed = new(driver.PoolPath);

    private MetadataClient Metadata => Csi.SnapshotMetadata;

    public override async Task DisposeAsync()
    {
        _placed.Dispose();
        await base.DisposeAsync();
    }

    private static async Task<List<T>> Read<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            var messages = new List<T>();
            await foreach (var message in call.ResponseStream.ReadAllAsync())
                messages.Add(message);
            return messages;
        }
    }

    private static async Task<string> AssertStreamFails<T>(StatusCode code, Func<AsyncServerStreamingCall<T>> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Read(call()));
        Assert.True(e.StatusCode == code, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail), "an error must say what was wrong");
        return e.Status.Detail;
    }

    [Fact]
    public async Task GetPluginCapabilities_offers_the_snapshot_metadata_service()
    {
        var capabilities = await Csi.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());

        Assert.Contains(capabilities.Capabilities, c => c.Service?.Type == PluginCapability.Types.Service.Types.Type.SnapshotMetadataService);
    }

    [Fact]
    public async Task GetMetadataAllocated_streams_the_written_ranges_in_messages_of_at_most_max_results()
    {
        var id = _placed.Place(VolumeA, Size, (0, 65536, 1), (1 << 20, 4096, 2), (3 << 20, 131072, 3), (Size - 4096, 4096, 4));

        var messages = await Read(Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = id, MaxResults = 3 }));

        Assert.Equal([3, 1], messages.Select(m => m.BlockMetadata.Count));
        Assert.All(messages, m => Assert.Equal(Size, m.VolumeCapacityBytes));
        Assert.All(messages, m => Assert.Equal(BlockMetadataType.VariableLength, m.BlockMetadataType));
        var tuples = messages.SelectMany(m => m.BlockMetadata).Select(b => (b.ByteOffset, b.SizeBytes)).ToList();
        Assert.Equal([(0L, 65536L), (1L << 20, 4096L), (3L << 20, 131072L), (Size - 4096, 4096L)], tuples);
    }

    [Fact]
    public async Task GetMetadataAllocated_resumed_at_a_starting_offset_sends_nothing_that_ends_before_it()
    {
        var id = _placed.Place(VolumeA, Size, (0, 65536, 1), (1 << 20, 65536, 2));

        var messages = await Read(Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = id, StartingOffset = 32768 }));

        var first = messages.SelectMany(m => m.BlockMetadata).First();
        Assert.True(32768 < first.ByteOffset + first.SizeBytes);
        Assert.Equal(2, messages.Sum(m => m.BlockMetadata.Count));
    }

    [Fact]
    public async Task GetMetadataDelta_streams_the_blocks_that_changed_between_two_snapshots()
    {
        var first = _placed.Place(VolumeA, Size, (0, 65536, 1), (1 << 20, 65536, 2));
        var second = _placed.Place(VolumeA, Size, (0, 65536, 1), (1 << 20, 65536, 2), (1 << 20, 4096, 9), (5 << 20, 8192, 3));

        var messages = await Read(Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = first, TargetSnapshotId = second, MaxResults = 1 }));

        Assert.All(messages, m => Assert.Equal(Size, m.VolumeCapacityBytes));
        Assert.All(messages, m => Assert.True(m.BlockMetadata.Count <= 1));
        Assert.Equal([(1L << 20, 4096L), (5L << 20, 8192L)], messages.SelectMany(m => m.BlockMetadata).Select(b => (b.ByteOffset, b.SizeBytes)));
    }

    [Fact]
    public async Task GetMetadataAllocated_without_a_snapshot_id_is_an_invalid_argument() =>
        await AssertStreamFails(StatusCode.InvalidArgument, () => Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest()));

    [Fact]
    public async Task GetMetadataAllocated_of_an_unknown_snapshot_is_not_found() =>
        await AssertStreamFails(StatusCode.NotFound, () => Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = "snap-00000000000000000000000000000000" }));

    [Fact]
    public async Task GetMetadataAllocated_with_negative_max_results_is_an_invalid_argument()
    {
        var id = _placed.Place(VolumeA, Size);

        await AssertStreamFails(StatusCode.InvalidArgument, () => Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = id, MaxResults = -1 }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Size + 1)]
    public async Task A_starting_offset_negative_or_beyond_the_volume_is_out_of_range(long offset)
    {
        var first = _placed.Place(VolumeA, Size);
        var second = _placed.Place(VolumeA, Size);

        await AssertStreamFails(StatusCode.OutOfRange, () => Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = first, StartingOffset = offset }));
        await AssertStreamFails(StatusCode.OutOfRange, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = first, TargetSnapshotId = second, StartingOffset = offset }));
    }

    [Fact]
    public async Task GetMetadataDelta_without_either_snapshot_id_is_an_invalid_argument()
    {
        var id = _placed.Place(VolumeA, Size);

        var noBase = await AssertStreamFails(StatusCode.InvalidArgument, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { TargetSnapshotId = id }));
        var noTarget = await AssertStreamFails(StatusCode.InvalidArgument, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = id }));

        Assert.Contains("base_snapshot_id", noBase, StringComparison.Ordinal);
        Assert.Contains("target_snapshot_id", noTarget, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetadataDelta_with_an_unknown_snapshot_is_not_found()
    {
        var id = _placed.Place(VolumeA, Size);
        const string unknown = "snap-00000000000000000000000000000000";

        await AssertStreamFails(StatusCode.NotFound, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = unknown, TargetSnapshotId = id }));
        await AssertStreamFails(StatusCode.NotFound, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = id, TargetSnapshotId = unknown }));
    }

    [Fact]
    public async Task GetMetadataDelta_of_snapshots_of_different_volumes_is_an_invalid_argument()
    {
        var first = _placed.Place(VolumeA, Size);
        var second = _placed.Place(VolumeB, Size);

        var detail = await AssertStreamFails(StatusCode.InvalidArgument, () => Metadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = first, TargetSnapshotId = second }));

        Assert.Contains("same volume", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_with_nothing_to_report_still_tells_the_capacity()
    {
        var id = _placed.Place(VolumeA, Size);

        var messages = await Read(Metadata.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = id }));

        var only = Assert.Single(messages);
        Assert.Empty(only.BlockMetadata);
        Assert.Equal(Size, only.VolumeCapacityBytes);
    }
}
