using System.Globalization;
using Efflux.Grains.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>The persisted topic names of a namespace.</summary>
[GenerateSerializer]
[Alias("efflux.NamespaceState")]
public sealed class NamespaceState : INameSetState
{
    /// <summary>Topic names, sorted.</summary>
    [Id(0)] public List<string> Topics { get; set; } = [];

    /// <summary>Partitions by topic, for the namespace's partition quota (a topic listed before it was kept counts as 1).</summary>
    [Id(1)] public Dictionary<string, int> Partitions { get; set; } = [];

    List<string> INameSetState.Names => Topics;
}

/// <summary>
/// Lists the topics of one namespace, and keeps the namespace catalog in step: the namespace is listed there from its
/// first topic to the deletion of its last (a grain turn at a time, so a create and a delete cannot cross). Stream
/// providers watch it, to read a new topic's partitions as soon as it is created.
/// </summary>
[GrainType("efflux.namespace")]
internal sealed class NamespaceGrain([PersistentState("namespace", EffluxStorage.Name)] IPersistentState<NamespaceState> namespaceState, IOptions<LimitsOptions> limits, ILogger<NamespaceGrain> logger)
    : NameSetGrain<NamespaceState>(namespaceState), INamespaceGrain
{
    private readonly TopicWatchers _watchers = new(logger);

    public async Task AddTopicAsync(string topic, int partitions)
    {
        var topics = State.Topics;
        if (topics.Contains(topic))
        {
            return;
        }

        var ns = this.GetPrimaryKeyString();
        var (maxTopics, maxPartitions) = (limits.Value.MaxTopicsPerNamespace, limits.Value.MaxPartitionsPerNamespace);
        if (maxTopics > 0 && topics.Count + 1 > maxTopics)
        {
            throw new EffluxException(EffluxError.LimitExceeded, string.Create(CultureInfo.InvariantCulture, $"Namespace '{ns}' holds {topics.Count} topics, the most it may (Efflux:Limits:MaxTopicsPerNamespace = {maxTopics})."));
        }

        var held = topics.Sum(t => State.Partitions.GetValueOrDefault(t, 1));
        if (maxPartitions > 0 && held + partitions > maxPartitions)
        {
            throw new EffluxException(EffluxError.LimitExceeded, string.Create(CultureInfo.InvariantCulture, $"Topic {ns}/{topic} would take namespace '{ns}' to {held + partitions} partitions; it may have {maxPartitions} (Efflux:Limits:MaxPartitionsPerNamespace), and has {held}."));
        }

        State.Partitions = State.Partitions.Where(p => topics.Contains(p.Key)).ToDictionary();
        State.Partitions[topic] = partitions;
        await AddAsync(topic);
    }

    public Task AnnounceAsync()
    {
        _watchers.Changed(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<List<string>> ListAndWatchAsync(ITopicsObserver observer)
    {
        _watchers.Watch(observer);
        return ListAsync();
    }

    protected override Task OnChangedAsync(int count)
    {
        var catalog = GrainFactory.GetGrain<INamespaceCatalogGrain>(INamespaceCatalogGrain.Key);
        return count switch
        {
            0 => catalog.RemoveAsync(this.GetPrimaryKeyString()),
            1 => catalog.AddAsync(this.GetPrimaryKeyString()),
            _ => Task.CompletedTask,
        };
    }
}
