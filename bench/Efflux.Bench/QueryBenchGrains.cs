using Efflux.Grains.Streams;
using Orleans.Streams;

namespace Efflux.Bench;

/// <summary>Counts the events a stream delivers to it, through the Efflux provider or Orleans' memory provider.</summary>
[Alias("bench.stream-counter")]
public interface IStreamCounterGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to an Efflux partition from offset 0.</summary>
    Task SubscribeEffluxAsync(string ns, string topic);

    /// <summary>Subscribes to a memory stream.</summary>
    Task SubscribeMemoryAsync(string stream);

    /// <summary>Events received so far.</summary>
    Task<long> CountAsync();
}

/// <summary>Counts, nothing more, so both providers are measured by what they deliver.</summary>
public sealed class StreamCounterGrain : Grain, IStreamCounterGrain
{
    private long _count;

    /// <inheritdoc />
    public async Task SubscribeEffluxAsync(string ns, string topic)
        => await this.GetStreamProvider(EffluxStreams.ProviderName).GetStream<EffluxMessage>(EffluxStreams.Of(ns, topic, 0))
            .SubscribeAsync(new Counter<EffluxMessage>(this), new EffluxSequenceToken(0, 0));

    /// <inheritdoc />
    public async Task SubscribeMemoryAsync(string stream)
        => await this.GetStreamProvider(QueriesBench.MemoryProvider).GetStream<byte[]>(StreamId.Create("bench", stream)).SubscribeAsync(new Counter<byte[]>(this));

    /// <inheritdoc />
    public Task<long> CountAsync() => Task.FromResult(_count);

    private sealed class Counter<T>(StreamCounterGrain grain) : IAsyncBatchObserver<T>
    {
        public Task OnNextAsync(IList<SequentialItem<T>> items)
        {
            grain._count += items.Count;
            return Task.CompletedTask;
        }

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}

/// <summary>Produces payloads into a memory stream in batches.</summary>
[Alias("bench.memory-producer")]
public interface IMemoryProducerGrain : IGrainWithStringKey
{
    /// <summary>Sends <paramref name="count"/> copies of <paramref name="payload"/>, <paramref name="batch"/> per call.</summary>
    Task ProduceAsync(string stream, byte[] payload, int count, int batch);
}

/// <inheritdoc cref="IMemoryProducerGrain" />
public sealed class MemoryProducerGrain : Grain, IMemoryProducerGrain
{
    /// <inheritdoc />
    public async Task ProduceAsync(string stream, byte[] payload, int count, int batch)
    {
        var target = this.GetStreamProvider(QueriesBench.MemoryProvider).GetStream<byte[]>(StreamId.Create("bench", stream));
        for (var sent = 0; sent < count; sent += batch)
        {
            await target.OnNextBatchAsync(Enumerable.Repeat(payload, Math.Min(batch, count - sent)).ToList());
        }
    }
}
