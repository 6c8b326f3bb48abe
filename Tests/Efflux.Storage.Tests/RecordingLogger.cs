using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Efflux.Storage.Tests;

/// <summary>Keeps every entry at or above <paramref name="minimum"/>, formatted, with its exception.</summary>
internal sealed class RecordingLogger(LogLevel minimum = LogLevel.Trace) : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

    public IEnumerable<(LogLevel Level, string Message, Exception? Exception)> At(LogLevel level) => _entries.Where(e => e.Level == level);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _entries.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}
