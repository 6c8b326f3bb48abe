using System.Text;
using Efflux.Grains.Streams;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Efflux.Grains.Tests;

/// <summary>An order, produced through <c>IAsyncStream&lt;Order&gt;</c> as a JSON payload.</summary>
[GenerateSerializer]
public sealed record Order([property: Id(0)] string Item, [property: Id(1)] int Quantity);

/// <summary>What a recorder saw: the offset of each record, the offset its token named, and its payload as text.</summary>
[GenerateSerializer]
public sealed record Seen([property: Id(0)] long Offset, [property: Id(1)] long TokenOffset, [property: Id(2)] int TokenPartition, [property: Id(3)] string Text);

public interface IRecorderGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to a partition's stream from an offset, or from now when null; each batch waits <paramref name="delayMs"/>.</summary>
    Task SubscribeAsync(string ns, string topic, int partition, long? fromOffset, int delayMs);

    Task<List<Seen>> SeenAsync();
}

public sealed class RecorderGrain : Grain, IRecorderGrain
{
    private readonly List<Seen> _seen = [];
    private int _delayMs;

    public async Task SubscribeAsync(string ns, string topic, int partition, long? fromOffset, int delayMs)
    {
        _delayMs = delayMs;
        var stream = this.GetStreamProvider("efflux").GetStream<EffluxMessage>(EffluxStreams.Of(ns, topic, partition));
        if (fromOffset is { } offset)
        {
            await stream.SubscribeAsync(OnNextAsync, new EffluxSequenceToken(partition, offset));
        }
        else
        {
            await stream.SubscribeAsync(OnNextAsync);
        }
    }

    public Task<List<Seen>> SeenAsync() => Task.FromResult(_seen.ToList());

    private async Task OnNextAsync(EffluxMessage message, StreamSequenceToken? token)
    {
        if (_delayMs > 0)
        {
            await Task.Delay(_delayMs);
        }

        var efflux = Assert.IsType<EffluxSequenceToken>(token);
        _seen.Add(new Seen(message.Offset, efflux.Offset, efflux.Partition, Encoding.UTF8.GetString(message.Payload)));
    }
}

public interface IOrderProducerGrain : IGrainWithStringKey
{
    Task ProduceAsync(string ns, string topic, int partition, List<Order> orders);
}

public sealed class OrderProducerGrain : Grain, IOrderProducerGrain
{
    public Task ProduceAsync(string ns, string topic, int partition, List<Order> orders)
        => this.GetStreamProvider("efflux").GetStream<Order>(EffluxStreams.Of(ns, topic, partition)).OnNextBatchAsync(orders);
}

public interface IOrderCounterGrain : IGrainWithStringKey
{
    Task<List<Order>> OrdersAsync();
}

/// <summary>Implicitly subscribed to every partition of topic s/orders: one activation per partition (its key).</summary>
[ImplicitStreamSubscription("s/orders")]
public sealed class OrderCounterGrain : Grain, IOrderCounterGrain, IStreamSubscriptionObserver, IAsyncObserver<Order>
{
    private readonly List<Order> _orders = [];

    public Task<List<Order>> OrdersAsync() => Task.FromResult(_orders.ToList());

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
        => handleFactory.Create<Order>().ResumeAsync(this);

    public Task OnNextAsync(Order item, StreamSequenceToken? token = null)
    {
        _orders.Add(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
