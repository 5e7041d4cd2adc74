namespace Loam.Storage;

/// <summary>A failure whose message is fit to show the caller: it says what was wrong.</summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public StorageError Error { get; }

    public static StorageException InvalidArgument(string message) => new(StorageError.InvalidArgument, message);
    public static StorageException NotFound(string message) => new(StorageError.NotFound, message);
    public static StorageException AlreadyExists(string message) => new(StorageError.AlreadyExists, message);
    public static StorageException OutOfRange(string message) => new(StorageError.OutOfRange, message);
    public static StorageException ResourceExhausted(string message, Exception? inner = null) => new(StorageError.ResourceExhausted, message, inner);
    public static StorageException FailedPrecondition(string message) => new(StorageError.FailedPrecondition, message);
    public static StorageException Aborted(string message) => new(StorageError.Aborted, message);
    public static StorageException Internal(string message, Exception? inner = null) => new(StorageError.Internal, message, inner);
}
