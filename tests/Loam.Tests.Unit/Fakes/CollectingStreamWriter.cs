using Grpc.Core;

namespace Loam.Tests.Unit.Fakes;

/// <summary>A server stream that keeps every message written to it.</summary>
public sealed class CollectingStreamWriter<T> : IServerStreamWriter<T>
{
    public List<T> Messages { get; } = [];

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message)
    {
        Messages.Add(message);
        return Task.CompletedTask;
    }
}
