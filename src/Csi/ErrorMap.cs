using Grpc.Core;
using Loam.Storage;

namespace Loam.Csi;

/// <summary>The one place where storage errors become gRPC status codes.</summary>
public static class ErrorMap
{
    public static StatusCode ToStatusCode(StorageError error) => error switch
    {
        StorageError.InvalidArgument => StatusCode.InvalidArgument,
        StorageError.NotFound => StatusCode.NotFound,
        StorageError.AlreadyExists => StatusCode.AlreadyExists,
        StorageError.OutOfRange => StatusCode.OutOfRange,
        StorageError.ResourceExhausted => StatusCode.ResourceExhausted,
        StorageError.FailedPrecondition => StatusCode.FailedPrecondition,
        StorageError.Aborted => StatusCode.Aborted,
        StorageError.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(StorageException e) => new(new Status(ToStatusCode(e.Error), e.Message));
}
