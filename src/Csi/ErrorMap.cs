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

    /// <summary>Longest status message sent; the rest is cut with a note saying how much.</summary>
    public const int MaxDetailLength = 1024;

    /// <summary>
    /// The status message travels in an HTTP/2 trailer: one that echoes a huge request field (an ID
    /// of 100k characters) would exceed the client's header limit and reach the CO as a broken
    /// connection, which it retries forever, instead of as the code.
    /// </summary>
    public static RpcException Bounded(RpcException e) =>
        e.Status.Detail.Length <= MaxDetailLength ? e
            : new RpcException(new Status(e.StatusCode, $"{e.Status.Detail[..MaxDetailLength]}... ({e.Status.Detail.Length - MaxDetailLength} more characters)"), e.Trailers);
}
