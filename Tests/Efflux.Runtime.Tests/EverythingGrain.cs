namespace Efflux.Runtime.Tests;

/// <summary>An implementation of the sample interface, called through generated requests by the loopback invoker.</summary>
public sealed class EverythingGrain : IEverythingGrain
{
    public List<string> Notifications { get; } = [];

    public CancellationToken LastToken { get; private set; }

    public Task<string> WhoAsync() => Task.FromResult("everything");

    public Task<long> AddAsync(long a, int b) => Task.FromResult(a + b);

    public ValueTask<string?> EchoAsync(string? text, CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        return ValueTask.FromResult(text);
    }

    public Task<byte[]?> BytesAsync(byte[]? data, ReadOnlyMemory<byte> more)
        => Task.FromResult(data is null ? null : (byte[]?)[.. data, .. more.Span]);

    public Task<Reading?> ReadAsync(Reading? reading, Point point)
        => Task.FromResult(reading is null ? null : reading with { Value = reading.Value + point.X + point.Y });

    public Task<IReadOnlyList<Reading>> ManyAsync(IReadOnlyList<Reading> readings, int?[] maybe)
        => Task.FromResult<IReadOnlyList<Reading>>([.. readings.Take(maybe.Count(m => m is not null))]);

    public Task<Dictionary<Guid, DateTimeOffset>> TimesAsync(Dictionary<Guid, DateTimeOffset> times, TimeSpan shift)
        => Task.FromResult(times.ToDictionary(t => t.Key, t => t.Value + shift));

    public Task<Severity> SeverityAsync(Severity severity) => Task.FromResult(severity == Severity.Low ? Severity.High : Severity.Low);

    public ValueTask PingAsync() => ValueTask.CompletedTask;

    public Task NotifyAsync(string message)
    {
        Notifications.Add(message);
        return Task.CompletedTask;
    }

    public Task FailAsync(string message) => throw new InvalidOperationException(message);
}
