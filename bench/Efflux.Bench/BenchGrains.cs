namespace Efflux.Bench;

/// <summary>The floor of a grain call: a grain that answers at once.</summary>
[Alias("bench.echo")]
public interface IEchoGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="value"/> + 1.</summary>
    Task<int> PingAsync(int value);
}

/// <summary>Answers at once.</summary>
public sealed class EchoGrain : Grain, IEchoGrain
{
    /// <inheritdoc />
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}
