using Csi.V1;
using Grpc.Core;
using Loam.Storage.Os;
using Loam.Storage.Snapshots.Metadata;
using CsiSnapshotMetadata = Csi.V1.SnapshotMetadata;

namespace Loam.Controller.SnapshotMetadata;

/// <summary>
/// CSI SnapshotMetadata: streams the allocated ranges of a snapshot, or the ranges changed
/// between two snapshots of one volume, computed while they are sent. Every message carries
/// the volume's capacity and the call's one style. Errors are mapped by the call interceptor.
/// </summary>
public sealed class SnapshotMetadataService(SnapshotMetadataReader reader) : CsiSnapshotMetadata.SnapshotMetadataBase
{
    public override async Task GetMetadataAllocated(GetMetadataAllocatedRequest request, IServerStreamWriter<GetMetadataAllocatedResponse> responseStream, ServerCallContext context)
    {
        using var stream = reader.Allocated(request.SnapshotId, request.StartingOffset, request.MaxResults);
        var type = ToCsi(stream.Style);
        foreach (var page in stream.Pages)
        {
            var response = new GetMetadataAllocatedResponse { BlockMetadataType = type, VolumeCapacityBytes = stream.VolumeCapacity };
            response.BlockMetadata.Add(ToCsi(page));
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    public override async Task GetMetadataDelta(GetMetadataDeltaRequest request, IServerStreamWriter<GetMetadataDeltaResponse> responseStream, ServerCallContext context)
    {
        using var stream = reader.Delta(request.BaseSnapshotId, request.TargetSnapshotId, request.StartingOffset, request.MaxResults, context.CancellationToken);
        var type = ToCsi(stream.Style);
        foreach (var page in stream.Pages)
        {
            var response = new GetMetadataDeltaResponse { BlockMetadataType = type, VolumeCapacityBytes = stream.VolumeCapacity };
            response.BlockMetadata.Add(ToCsi(page));
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    private static BlockMetadataType ToCsi(RangeStyle style) =>
        style == RangeStyle.Fixed ? BlockMetadataType.FixedLength : BlockMetadataType.VariableLength;

    private static IEnumerable<BlockMetadata> ToCsi(IReadOnlyList<ByteRange> page) =>
        page.Select(r => new BlockMetadata { ByteOffset = r.Offset, SizeBytes = r.Length });
}
