namespace Efflux.Grains;

/// <summary>
/// Sends a batch of messages to a topic's partitions: all to one fixed partition, or each to its message group's
/// partition (<see cref="GrainKeys.PartitionOf"/>), else round-robin. One call per partition, all at once; the
/// results come back in the input order. Used by the topic grain and by the client SDK, so both route alike.
/// </summary>
public sealed class MessageRouter
{
    private int _roundRobin;

    /// <summary>Routes and appends <paramref name="messages"/>.</summary>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="partitions">The topic's partition count.</param>
    /// <param name="partition">A fixed partition for all of them, or null to route each.</param>
    /// <param name="append">Appends one partition's messages (in order) and returns their results.</param>
    public async Task<List<ProduceResult>> AppendAsync(
        IReadOnlyList<ProduceMessage> messages,
        int partitions,
        int? partition,
        Func<int, List<ProduceMessage>, Task<List<ProduceResult>>> append)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(append);
        if (partition is { } only)
        {
            return await append(only, messages as List<ProduceMessage> ?? [.. messages]).ConfigureAwait(true);
        }

        var routes = new int[messages.Count];
        var byPartition = new Dictionary<int, List<ProduceMessage>>();
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            routes[i] = m.MessageGroup is { } group
                ? GrainKeys.PartitionOf(group, partitions)
                : (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)partitions);
            if (!byPartition.TryGetValue(routes[i], out var list))
            {
                byPartition[routes[i]] = list = [];
            }

            list.Add(m);
        }

        if (byPartition.Count == 1)
        {
            return await append(routes[0], byPartition[routes[0]]).ConfigureAwait(true);
        }

        var calls = byPartition.ToDictionary(kv => kv.Key, kv => append(kv.Key, kv.Value));
        await Task.WhenAll(calls.Values).ConfigureAwait(true);
        var taken = new Dictionary<int, int>();
        var results = new List<ProduceResult>(messages.Count);
        foreach (var p in routes)
        {
            var at = taken.GetValueOrDefault(p);
            taken[p] = at + 1;
            results.Add(calls[p].Result[at]);
        }

        return results;
    }
}
