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
    public void Every_storage_error_is_mapped_deliberately()
    {
        var mapped = Enum.GetValues<StorageError>().Select(ErrorMap.ToStatusCode).ToList();

        Assert.Equal(mapped.Count, mapped.Distinct().Count());
    }
}
