using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Heimdall.Tests.Common;

/// <summary>Collects log entries (level, event name, structured state) for assertions.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string? EventName, string Message, IReadOnlyDictionary<string, object?> State);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            owner.Entries.Enqueue(new Entry(logLevel, eventId.Name, formatter(state, exception), values.ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }
}
