using Efflux.Grains;

namespace Efflux.Client;

/// <summary>
/// A push subscription to one partition (<see cref="TopicClient.SubscribeAsync"/>): the partition grain sends each
/// durable batch as it appears, the handler runs message by message, and the next batch comes when it is done — a slow
/// handler falls behind on the log, never in memory. The subscription renews itself and, when the silo ends it (the
/// partition moved or closed), resubscribes from the next unhandled offset: at-least-once delivery, in order.
/// </summary>
public sealed class Subscription : IAsyncDisposable
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    private readonly IPartitionGrain _partition;
    private readonly Func<EffluxMessage, CancellationToken, Task> _handler;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _ended = new(0);
    private readonly IClusterClient _cluster;
    private readonly Receiver _receiver;
    private readonly IPartitionSubscriber _reference;
    private readonly Task _keeper;
    private long _next;

    private Subscription(EffluxClient client, IPartitionGrain partition, long fromOffset, Func<EffluxMessage, CancellationToken, Task> handler)
    {
        _partition = partition;
        _handler = handler;
        _next = fromOffset;
        _cluster = client.Cluster;
        _receiver = new Receiver(this);
        _reference = _cluster.CreateObjectReference<IPartitionSubscriber>(_receiver);
        _keeper = Task.Run(KeepAsync);
    }

    /// <summary>The offset of the next message the handler will see.</summary>
    public long NextOffset => Interlocked.Read(ref _next);

    internal static async Task<Subscription> StartAsync(EffluxClient client, IPartitionGrain partition, long fromOffset, Func<EffluxMessage, CancellationToken, Task> handler)
    {
        await client.ConnectAsync().ConfigureAwait(false);
        var subscription = new Subscription(client, partition, fromOffset, handler);
        try
        {
            await Calls.Run(partition.SubscribeAsync(subscription._reference, subscription._id, fromOffset)).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Renews every 30 seconds, and resubscribes at once from the next offset when the silo ends the subscription.</summary>
    private async Task KeepAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _ended.WaitAsync(RenewEvery, _stop.Token).ConfigureAwait(false);
                await Calls.Run(_partition.SubscribeAsync(_reference, _id, NextOffset)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (EffluxException)
            {
                // The partition is unavailable for now: try again at the next renewal.
            }
        }
    }

    /// <summary>Ends the subscription on the silo and here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Calls.Run(_partition.UnsubscribeAsync(_id)).ConfigureAwait(false);
        }
        catch (EffluxException)
        {
            // The silo is gone; so is the subscription.
        }

        await _keeper.ConfigureAwait(false);
        _cluster.DeleteObjectReference<IPartitionSubscriber>(_reference);
        _stop.Dispose();
        _ended.Dispose();
    }

    private sealed class Receiver(Subscription owner) : IPartitionSubscriber
    {
        public async Task OnBatchAsync(string subscriptionId, RecordBatch batch)
        {
            foreach (var message in batch.Messages())
            {
                if (message.Offset < owner.NextOffset)
                {
                    continue; // already handled before a resubscription
                }

                await owner._handler(message, owner._stop.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref owner._next, message.Offset + 1);
            }
        }

        public Task OnEndedAsync(string subscriptionId, string reason)
        {
            if (!owner._stop.IsCancellationRequested)
            {
                owner._ended.Release();
            }

            return Task.CompletedTask;
        }
    }
}
