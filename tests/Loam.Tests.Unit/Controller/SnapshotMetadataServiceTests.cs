using Csi.V1;
using Google.Protobuf;
using Loam.Controller.SnapshotMetadata;
using Loam.Csi;
using Loam.Storage;
using Loam.Storage.Records;
using Loam.Storage.Snapshots;
using Loam.Storage.Snapshots.Metadata;
using Loam.Tests.Unit.Fakes;
using Loam.Tests.Unit.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Loam.Tests.Unit.Controller;

public sealed class SnapshotMetadataServiceTests : IDisposable
{
    private const long Size = 1 << 20;
    private readonly StorageHarness _storage = new();
    private readonly FakeFileExtents _files = new();
    private readonly SnapshotMetadataService _service;
    private readonly SnapshotStore _snapshots;

    public SnapshotMetadataServiceTests()
    {
        _snapshots = new SnapshotStore(_storage.PoolSet, _storage.Files);
        _service = new SnapshotMetadataService(new SnapshotMetadataReader(_snapshots, _files, new SnapshotMetadataOptions()));
    }

    private string Snapshot(string name, FakeImage image, int minute = 0)
    {
        var id = ResourceId.FromName(ResourceKind.Snapshot, name);
        _snapshots.Save(_storage.Pool, new SnapshotRecord
        {
            Id = id.Value, Name = name, Pool = "default", SourceVolumeId = "vol-x", SizeBytes = Size,
            CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(minute),
        });
        _files.Images[_storage.Pool.ImagePath(id)] = image;
        return id.Value;
    }

    [Fact]
    public async Task Allocated_streams_messages_of_at_most_max_results_each_with_capacity_and_style()
    {
        var image = new FakeImage(Size);
        for (var i = 0; i < 7; i++)
            image.Write(i * 65536L, 4096, 1);
        var id = Snapshot("s", image);
        var writer = new CollectingStreamWriter<GetMetadataAllocatedResponse>();

        await _service.GetMetadataAllocated(new GetMetadataAllocatedRequest { SnapshotId = id, MaxResults = 3 }, writer, new TestCallContext());

        Assert.Equal([3, 3, 1], writer.Messages.Select(m => m.BlockMetadata.Count));
        Assert.All(writer.Messages, m =>
        {
            Assert.Equal(Size, m.VolumeCapacityBytes);
            Assert.Equal(BlockMetadataType.VariableLength, m.BlockMetadataType);
        });
        Assert.Equal(Enumerable.Range(0, 7).Select(i => i * 65536L), writer.Messages.SelectMany(m => m.BlockMetadata).Select(b => b.ByteOffset));
    }

    [Fact]
    public async Task Delta_streams_the_changed_blocks()
    {
        var first = new FakeImage(Size).Write(0, 8192, 1);
        var second = new FakeImage(Size).CopyOf(first).Write(4096, 1, 2);
        var a = Snapshot("a", first);
        var b = Snapshot("b", second, minute: 1);
        var writer = new CollectingStreamWriter<GetMetadataDeltaResponse>();

        await _service.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = a, TargetSnapshotId = b }, writer, new TestCallContext());

        var tuple = Assert.Single(Assert.Single(writer.Messages).BlockMetadata);
        Assert.Equal((4096L, 4096L), (tuple.ByteOffset, tuple.SizeBytes));
    }

    [Fact]
    public async Task The_target_must_be_the_snapshot_the_clock_stamped_later()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var maker = new SnapshotMaker(_storage.Store, _storage.Snapshots, _storage.Copier, _storage.Images,
            _storage.VolumeFreezer, _storage.Capacity, _storage.Admission, clock);
        var volume = SnapshotTestKit.VolumeWith(_storage, "v", "x");
        var earlier = maker.Create("earlier", volume.Id.Value);
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = maker.Create("later", volume.Id.Value);
        foreach (var snapshot in new[] { earlier, later })
            _files.Images[snapshot.ImagePath] = new FakeImage(volume.Record.CapacityBytes);
        var service = new SnapshotMetadataService(
            new SnapshotMetadataReader(_storage.Snapshots, _files, new SnapshotMetadataOptions()));
        GetMetadataDeltaRequest Delta(StoredSnapshot from, StoredSnapshot to) =>
            new() { BaseSnapshotId = from.Id.Value, TargetSnapshotId = to.Id.Value };

        var e = await Assert.ThrowsAsync<StorageException>(() => service.GetMetadataDelta(
            Delta(later, earlier), new CollectingStreamWriter<GetMetadataDeltaResponse>(), new TestCallContext()));
        await service.GetMetadataDelta(
            Delta(earlier, later), new CollectingStreamWriter<GetMetadataDeltaResponse>(), new TestCallContext());

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains("the target must be the later one", e.Message, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow(), later.Record.CreatedAt);
    }

    [Fact]
    public async Task A_bad_request_fails_before_any_message_is_sent()
    {
        var writer = new CollectingStreamWriter<GetMetadataDeltaResponse>();

        var e = await Assert.ThrowsAsync<StorageException>(() =>
            _service.GetMetadataDelta(new GetMetadataDeltaRequest { TargetSnapshotId = "snap-x" }, writer, new TestCallContext()));

        Assert.Equal(StorageError.InvalidArgument, e.Error);
        Assert.Contains("base_snapshot_id", e.Message, StringComparison.Ordinal);
        Assert.Empty(writer.Messages);
    }

    [Fact]
    public void Secrets_of_metadata_requests_are_masked_in_logs()
    {
        var allocated = new GetMetadataAllocatedRequest { SnapshotId = "snap-1" };
        allocated.Secrets.Add("token", "s3cr3t-allocated");
        var delta = new GetMetadataDeltaRequest { BaseSnapshotId = "snap-1", TargetSnapshotId = "snap-2" };
        delta.Secrets.Add("token", "s3cr3t-delta");

        IMessage[] requests = [allocated, delta];

        Assert.All(requests, r => Assert.DoesNotContain("s3cr3t", SecretRedactor.Redact(r), StringComparison.Ordinal));
    }

    public void Dispose() => _storage.Dispose();
}
