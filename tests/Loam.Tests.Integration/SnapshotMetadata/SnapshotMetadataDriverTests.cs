using Csi.V1;
using Grpc.Core;
using Loam.Storage.Os;
using Loam.Storage.Pools;
using Loam.Storage.Snapshots.Metadata;

namespace Loam.Tests.Integration.SnapshotMetadata;

/// <summary>The real driver on an xfs pool streams the delta of two reflinked snapshots over its socket.</summary>
public sealed class SnapshotMetadataDriverTests
{
    private const long Size = 64L << 20;
    private const string VolumeId = "vol-00112233445566778899aabbccddeeff";

    [RootFact]
    public async Task The_driver_streams_the_delta_of_reflinked_snapshots_in_pages_of_max_results()
    {
        await using var bed = await Testbed.StartAsync("xfs", "metadriver", poolSize: 1L << 30);
        var pool = new Pool(new PoolOptions("default", bed.PoolPath));
        var volume = Path.Combine(pool.VolumesDirectory, VolumeId + ".img");
        VolumeWriter.Create(volume, Size);
        var maker = new HandMadeSnapshots(pool);
        byte pattern = 0;
        VolumeWriter.Write(volume, [.. Enumerable.Range(0, 32).Select(i => new ByteRange(i * (1L << 20), 65536))], ref pattern);
        var first = maker.Take(volume, VolumeId, "xfs");
        ByteRange[] changed = [.. Enumerable.Range(0, 10).Select(i => new ByteRange(i * 3 * (1L << 20) + 8192, 4096))];
        VolumeWriter.Write(volume, changed, ref pattern);
        var second = maker.Take(volume, VolumeId, "xfs");

        using var call = bed.Csi.SnapshotMetadata.GetMetadataDelta(new GetMetadataDeltaRequest { BaseSnapshotId = first, TargetSnapshotId = second, MaxResults = 4 });
        var messages = new List<GetMetadataDeltaResponse>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
            messages.Add(message);

        Assert.Equal([4, 4, 2], messages.Select(m => m.BlockMetadata.Count));
        Assert.All(messages, m => Assert.Equal(Size, m.VolumeCapacityBytes));
        Assert.All(messages, m => Assert.Equal(BlockMetadataType.VariableLength, m.BlockMetadataType));
        Assert.Equal(Ranges.Merge(changed), messages.SelectMany(m => m.BlockMetadata).Select(b => new ByteRange(b.ByteOffset, b.SizeBytes)));
    }
}
