namespace Efflux.Grains;

/// <summary>Receives a partition's records pushed by <see cref="IPartitionGrain.SubscribeAsync"/>.</summary>
[Alias("efflux.subscriber")]
public interface IPartitionSubscriber : IGrainObserver
{
    /// <summary>The next batch; the following one is sent when this call returns.</summary>
    Task OnBatchAsync(string subscriptionId, RecordBatch batch);

    /// <summary>The subscription ended on the silo (unsubscribed, the partition closing, or a read failing).</summary>
    Task OnEndedAsync(string subscriptionId, string reason);
}
