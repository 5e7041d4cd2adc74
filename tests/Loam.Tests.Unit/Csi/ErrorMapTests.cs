using Grpc.Core;
using Loam.Csi;
using Loam.Storage;

namespace Loam.Tests.Unit.Csi;

public sealed class ErrorMapTests
{
    [Theory]
    [InlineData(StorageError.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(StorageError.NotFound, StatusCode.NotFound)]
    [InlineData(StorageError.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(StorageError.OutOfRange, StatusCode.OutOfRange)]
    [InlineData(StorageError.ResourceExhausted, StatusCode.ResourceExhausted)]
    [InlineData(StorageError.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(StorageError.Aborted, StatusCode.Aborted)]
    [InlineData(StorageError.Unavailable, StatusCode.Unavailable)]
    [InlineData(StorageError.Internal, StatusCode.Internal)]
    public void Each_storage_error_has_its_status_code(StorageError error, StatusCode code)
    {
        var rpc = ErrorMap.ToRpcException(new StorageException(error, "what went wrong"));

        Assert.Equal(code, rpc.StatusCode);
        Assert.Equal("what went wrong", rpc.Status.Detail);
    }

    [Fact]
    public void A_huge_status_message_is_cut_to_a_size_every_client_accepts_and_keeps_its_code()
    {
        var huge = new RpcException(new Status(StatusCode.NotFound, "volume " + new string('a', 100_000) + " does not exist"));

        var bounded = ErrorMap.Bounded(huge);

        Assert.Equal(StatusCode.NotFound, bounded.StatusCode);
        Assert.True(bounded.Status.Detail.Length < 2 * ErrorMap.MaxDetailLength);
        Assert.StartsWith("volume aaa", bounded.Status.Detail, StringComparison.Ordinal);
        Assert.EndsWith("more characters)", bounded.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_status_message_is_left_alone()
    {
        var rpc = new RpcException(new Status(StatusCode.NotFound, "volume x does not exist"));

        Assert.Same(rpc, ErrorMap.Bounded(rpc));
    }

    [Fact]
    public void Every_storage_error_is_mapped_deliberately()
    {
        var mapped = Enum.GetValues<StorageError>().Select(ErrorMap.ToStatusCode).ToList();

        Assert.Equal(mapped.Count, mapped.Distinct().Count());
    }
}
