using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Loam.Tests.Unit.Fakes;

/// <summary>
/// A logger factory that keeps every line of every category, at every level: the rendered
/// message and each structured value, so a test can look for what must never be logged.
/// </summary>
public sealed class CapturingLoggers : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();

    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    public ILogger<T> For<T>() => new Logger<T>(this);

    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, _lines);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, ConcurrentQueue<CapturedLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToList()
                : [];
            lines.Enqueue(new CapturedLine(category, logLevel, eventId.Id, formatter(state, exception), values));
        }
    }
}

/// <summary>One captured log line.</summary>
public sealed record CapturedLine(
    string Category, LogLevel Level, int EventId, string Message, IReadOnlyList<string> Values)
{
    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.Ordinal) || Values.Any(v => v.Contains(text, StringComparison.Ordinal));
}
