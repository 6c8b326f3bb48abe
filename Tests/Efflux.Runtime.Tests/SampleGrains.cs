namespace Efflux.Runtime.Tests;

public enum Severity
{
    Low,
    High,
}

[GenerateSerializer]
[Alias("tests.reading")]
public sealed record Reading([property: Id(0)] string Sensor, [property: Id(1)] double Value)
{
    [Id(2)]
    public Severity Severity { get; init; }

    [Id(3)]
    public List<string> Tags { get; set; } = [];

    [Id(4)]
    public Dictionary<string, long>? Counters { get; set; }
}

[GenerateSerializer]
public sealed class Chunked
{
    [Id(0)]
    public System.Buffers.ReadOnlySequence<byte> Data { get; set; }

    [Id(1)]
    public int After { get; set; }
}

[GenerateSerializer]
public sealed class PersonV1
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;
}

[GenerateSerializer]
public sealed class PersonV2
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    [Id(1)]
    public int Age { get; set; } = -1;

    [Id(2)]
    public byte[]? Photo { get; set; }
}

[GenerateSerializer]
public struct Point
{
    [Id(0)]
    public int X { get; set; }

    [Id(1)]
    public int Y { get; set; }
}

[Alias("tests.base")]
public interface IBaseGrain : IGrainWithStringKey
{
    Task<string> WhoAsync();
}

[Alias("tests.everything")]
public interface IEverythingGrain : IBaseGrain
{
    Task<long> AddAsync(long a, int b);

    ValueTask<string?> EchoAsync(string? text, CancellationToken cancellationToken);

    Task<byte[]?> BytesAsync(byte[]? data, ReadOnlyMemory<byte> more);

    Task<Reading?> ReadAsync(Reading? reading, Point point);

    Task<IReadOnlyList<Reading>> ManyAsync(IReadOnlyList<Reading> readings, int?[] maybe);

    Task<Dictionary<Guid, DateTimeOffset>> TimesAsync(Dictionary<Guid, DateTimeOffset> times, TimeSpan shift);

    [ReadOnly]
    Task<Severity> SeverityAsync(Severity severity);

    [AlwaysInterleave]
    ValueTask PingAsync();

    [OneWay]
    Task NotifyAsync(string message);

    [Alias("fail")]
    Task FailAsync(string message);
}
