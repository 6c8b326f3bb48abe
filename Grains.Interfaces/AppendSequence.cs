namespace Efflux;

/// <summary>
/// Where an append stands in one producer's stream of appends to one partition. Orleans does not keep calls in the
/// order they were made, so a partition takes the batches of one producer in <see cref="Number"/> order, whatever order
/// they arrive in: a batch that comes early waits for the ones before it.
/// </summary>
[GenerateSerializer]
[Alias("efflux.AppendSequence")]
public sealed class AppendSequence
{
    /// <summary>The producer, the same for all its appends.</summary>
    [Id(0)] public Guid Producer { get; set; }

    /// <summary>This append's number among the producer's appends to the partition: 0, 1, 2, … with no gaps.</summary>
    [Id(1)] public long Number { get; set; }

    /// <summary>
    /// The lowest number of the producer's appends to the partition that had not been answered when this one was sent
    /// (at most <see cref="Number"/>): the partition need not wait for any append below it.
    /// </summary>
    [Id(2)] public long Oldest { get; set; }
}
