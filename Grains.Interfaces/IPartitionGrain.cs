namespace Efflux.Grains;

/// <summary>
/// One partition: the single writer of one chain, on the silo that holds its data. Key: <c>{ns}/{topic}/{partition}</c>.
/// Reads never wait for appends.
/// </summary>
[Alias("efflux.partition")]
public interface IPartitionGrain : IGrainWithStringKey
{
    /// <summary>Appends messages in order as one group commit.</summary>
    [Requires(Permissions.Write, Quota = Quota.Produce)]
    Task<List<ProduceResult>> AppendAsync(List<ProduceMessage> messages, ProduceOptions options);

    /// <summary>
    /// Makes every record acknowledged so far durable (records appended with leader or no acks wait for the periodic
    /// sync otherwise) and returns the offset after them.
    /// </summary>
    [Requires(Permissions.Write)]
    Task<long> FlushAsync();

    /// <summary>Offsets, size and head.</summary>
    [Requires(Permissions.Read | Permissions.Write)]
    Task<PartitionInfo> DescribeAsync();

    /// <summary>One record, or null when the offset is not stored.</summary>
    [Requires(Permissions.Read, Quota = Quota.Consume)]
    Task<RecordData?> FetchAsync(long offset);

    /// <summary>
    /// Records from <paramref name="fromOffset"/> (a negative offset: from the oldest stored record; at most <paramref name="max"/> and about <paramref name="maxBytes"/>);
    /// when there are none yet, waits up to <paramref name="wait"/> for the first (long poll). A batch also ends where a
    /// segment file ends, so it may hold fewer records while more are stored: read on from its
    /// <see cref="RecordBatch.NextOffset"/>.
    /// </summary>
    [Requires(Permissions.Read, Quota = Quota.Consume, Waits = true)]
    Task<RecordBatch> FetchBatchAsync(long fromOffset, int max, long maxBytes, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>The record with this id, or null.</summary>
    [Requires(Permissions.Read, Quota = Quota.Consume)]
    Task<RecordData?> FetchByIdAsync(string id);

    /// <summary>The first offset whose timestamp is at or after <paramref name="time"/> (the end when none is).</summary>
    [Requires(Permissions.Read)]
    Task<long> OffsetForTimeAsync(DateTimeOffset time);

    /// <summary>Records matching the metadata query, from the index.</summary>
    [Requires(Permissions.Read, Quota = Quota.Consume)]
    Task<List<RecordData>> SearchAsync(SearchRequest request);

    /// <summary>Re-hashes a range (the whole partition by default).</summary>
    [Requires(Permissions.Read)]
    Task<VerifyResult> VerifyAsync(long? fromOffset, long? toOffset);

    /// <summary>The head as a signed checkpoint (JSON, see docs/FORMAT.md).</summary>
    [Requires(Permissions.Read)]
    Task<string> HeadAsync();

    /// <summary>Verifies the partition against a checkpoint kept elsewhere: detects truncation and tail rewrites.</summary>
    [Requires(Permissions.Read)]
    Task<VerifyResult> VerifyCheckpointAsync(string checkpointJson);

    /// <summary>Closes the partition and deletes its data (called by the topic grain).</summary>
    Task DeleteAsync();

    /// <summary>Closes the partition so that its next call opens it with the topic's current configuration.</summary>
    Task ReloadAsync();

    /// <summary>
    /// Pushes every record from <paramref name="fromOffset"/> on (negative: from the oldest stored) to
    /// <paramref name="subscriber"/>, one batch at a time as they become durable: the next batch is read from the log
    /// when the subscriber has taken the last one, so a slow subscriber falls behind on the log, never in memory, and
    /// misses nothing. Subscribing again with the same id (a renewal) keeps the running subscription. A subscription
    /// ends when unsubscribed, when the subscriber cannot be reached, or when the partition deactivates — subscribers
    /// renew (the SDK does, every 30 seconds) and resubscribe from their last offset.
    /// </summary>
    [Requires(Permissions.Read, Quota = Quota.Consume)]
    Task SubscribeAsync(IPartitionSubscriber subscriber, string subscriptionId, long fromOffset);

    /// <summary>Ends a subscription.</summary>
    [Requires(Permissions.Read)]
    Task UnsubscribeAsync(string subscriptionId);
}
