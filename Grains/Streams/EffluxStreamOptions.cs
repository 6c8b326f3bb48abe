namespace Efflux.Grains.Streams;

/// <summary>Settings of an Efflux stream provider (<c>AddEffluxStreams</c>).</summary>
public sealed class EffluxStreamOptions
{
    /// <summary>
    /// Namespaces whose topics the provider reads: every partition of every topic in them is a stream. Live queries add
    /// their namespace on their own; list namespaces here for implicit subscribers and for topics produced to elsewhere.
    /// </summary>
    public IList<string> Namespaces { get; } = [];

    /// <summary>How many queues (pulling agents) there are; Orleans' queue balancer spreads them over the silos, and each partition is read by a queue on its home silo.</summary>
    public int Queues { get; set; } = 8;

    /// <summary>
    /// The most records of one partition kept in memory for its subscribers. A subscriber further behind reads from
    /// the log; when the slowest subscriber of a partition has this many records to go, the partition is not read on
    /// until it takes some.
    /// </summary>
    public int WindowRecords { get; set; } = 16_384;

    /// <summary>The most records delivered to a subscriber in one call (the window keeps this many behind its slowest subscriber).</summary>
    public int DeliveryBatch { get; set; } = 1024;

    /// <summary>The most records read from a partition in one fetch.</summary>
    public int ReadBatch { get; set; } = 4096;

    /// <summary>How long one read of a partition waits for new records (a long poll).</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the provider looks for new topics in <see cref="Namespaces"/>.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each queue saves the positions its subscribers have all passed.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where a queue starts reading a partition it has no saved position for: true (the default) from the oldest stored
    /// record, so implicit subscribers see a new topic from its start; false from its end.
    /// </summary>
    public bool NewPartitionsFromStart { get; set; } = true;

    /// <summary>The acknowledgement of records produced through <c>IAsyncStream&lt;T&gt;.OnNextAsync</c>: durable (fsynced) by default.</summary>
    public Acks ProduceAcks { get; set; } = Acks.Durable;
}
