namespace Loam.Storage;

/// <summary>
/// What went wrong, in terms every caller can act on. The CSI layer maps each value to
/// exactly one gRPC status code; Storage never mentions gRPC.
/// </summary>
public enum StorageError
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    OutOfRange,
    ResourceExhausted,
    FailedPrecondition,
    /// <summary>Another operation holds the same volume or name; the caller should retry.</summary>
    Aborted,
    Unavailable,
    Internal,
}
