using Efflux.Runtime;

namespace Efflux.Bench;

[Alias("bench.echo")]
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> PingAsync(int value);
}

[Alias("bench.driver")]
public interface IDriverGrain : IGrainWithStringKey
{
    /// <summary>Makes <paramref name="calls"/> calls to echo grains from inside this grain, <paramref name="inFlight"/> at a time.</summary>
    Task<long> RunAsync(int calls, int inFlight);
}

public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}

[Reentrant]
public sealed class DriverGrain : Grain, IDriverGrain
{
    public async Task<long> RunAsync(int calls, int inFlight)
    {
        var echoes = Enumerable.Range(0, 64).Select(i => GrainFactory.GetGrain<IEchoGrain>("e" + i)).ToArray();
        var next = -1;
        long sum = 0;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < calls)
            {
                Interlocked.Add(ref sum, await echoes[n % echoes.Length].PingAsync(n));
            }
        }));
        return sum;
    }
}

/// <summary>The baseline of a grain call in a silo: the same interface on a plain object, called directly.</summary>
public sealed class PlainEcho : IEchoGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}
