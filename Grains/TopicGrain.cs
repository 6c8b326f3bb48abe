using Efflux.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>The persisted state of a topic.</summary>
[GenerateSerializer]
[Alias("efflux.TopicState")]
public sealed class TopicState
{
    /// <summary>The configuration; null while the topic does not exist.</summary>
    [Id(0)] public TopicConfig? Config { get; set; }

    /// <summary>When it was created.</summary>
    [Id(1)] public DateTimeOffset Created { get; set; }

    /// <summary>
    /// The stable name of the silo that keeps each partition's files, by partition, chosen among the active silos when
    /// the topic was created. Partition grains are placed there and nowhere else.
    /// </summary>
    [Id(2)] public List<string> Homes { get; set; } = [];
}

/// <summary>
/// A topic: its configuration and the home silo of each partition. Reentrant: creation and deletion take a lock.
/// Appends do not pass through it (see <see cref="TopicRouter"/>), so a topic keeps taking appends while the silo of
/// its topic grain is down.
/// </summary>
[Reentrant]
[GrainType(GrainTypeName)]
internal sealed partial class TopicGrain(
    [PersistentState(TopicGrain.StateName, EffluxStorage.Name)] IPersistentState<TopicState> state,
    IOptions<EffluxOptions> options,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<TopicGrain> logger) : Grain, ITopicGrain, IDisposable
{
    /// <summary>The grain type of topic grains.</summary>
    public const string GrainTypeName = "efflux.topic";

    /// <summary>The name of the topic's state in grain storage.</summary>
    public const string StateName = "topic";

    private readonly SemaphoreSlim _changes = new(1, 1);
    private string _ns = "";
    private string _topic = "";
    private readonly MessageRouter _router = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = GrainKeys.Split(this.GetPrimaryKeyString());
        if (parts.Length != 2 || !StorageNames.IsValid(parts[0]) || !StorageNames.IsValid(parts[1]))
        {
            throw EffluxException.Invalid($"'{this.GetPrimaryKeyString()}' is not a namespace/topic pair of valid names ({StorageNames.Rule}).");
        }

        (_ns, _topic) = (parts[0], parts[1]);
        return Task.CompletedTask;
    }

    public async Task<bool> CreateOrUpdateAsync(TopicConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var wanted = Complete(config);
        await _changes.WaitAsync();
        try
        {
            if (state.State.Config is { } existing)
            {
                if (existing.Partitions != wanted.Partitions)
                {
                    throw new EffluxException(EffluxError.Conflict, $"Topic {_ns}/{_topic} has {existing.Partitions} partitions; the partition count of a topic is fixed.");
                }

                if (!Same(existing, wanted))
                {
                    state.State.Config = wanted;
                    await state.WriteStateAsync();
                    await Task.WhenAll(Partitions(wanted).Select(p => p.ReloadAsync()));
                    LogUpdated(logger, _ns, _topic);
                }

                return false;
            }

            // The namespace takes the topic first, within its quotas, and lets it go again if the creation fails.
            var ns = GrainFactory.GetGrain<INamespaceGrain>(_ns);
            await ns.AddTopicAsync(_topic, wanted.Partitions);
            var homes = ChooseHomes(wanted.Partitions);
            try
            {
                await GrainFactory.GetGrain<IPartitionBudgetGrain>(PartitionBudgetGrain.Key).ReserveAsync(this.GetPrimaryKeyString(), homes);
                state.State = new TopicState { Config = wanted, Created = time.GetUtcNow(), Homes = homes };
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = new TopicState();
                await ns.RemoveAsync(_topic);
                throw;
            }

            await ns.AnnounceAsync();
            LogCreated(logger, _ns, _topic, wanted.Partitions, homes);
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    public Task<TopicConfig> GetConfigAsync()
        => state.State.Config is { } config ? Task.FromResult(config) : throw EffluxException.NoTopic(_ns, _topic);

    public async Task<TopicConfig> EnsureAsync()
    {
        if (state.State.Config is null)
        {
            if (!options.Value.AutoCreateTopics)
            {
                throw EffluxException.NoTopic(_ns, _topic);
            }

            await CreateOrUpdateAsync(new TopicConfig { Partitions = options.Value.DefaultPartitions });
        }

        return state.State.Config!;
    }

    public async Task<TopicInfo> DescribeAsync()
    {
        var config = await GetConfigAsync();
        var partitions = await Task.WhenAll(Partitions(config).Select(p => p.DescribeAsync()));
        return new TopicInfo { Namespace = _ns, Topic = _topic, Config = config, Created = state.State.Created, Partitions = [.. partitions] };
    }

    public async Task<TopicInfo> DescribeCreatedAsync()
    {
        var config = await GetConfigAsync();
        return new TopicInfo
        {
            Namespace = _ns,
            Topic = _topic,
            Config = config,
            Created = state.State.Created,
            Partitions = [.. Enumerable.Range(0, config.Partitions).Select(p => new PartitionInfo
            {
                Partition = p,
                HeadFingerprint = Efflux.Format.Genesis.For(_ns, _topic, p),
                Silo = p < state.State.Homes.Count ? state.State.Homes[p] : "",
            })],
        };
    }

    public async Task DeleteAsync()
    {
        await _changes.WaitAsync();
        try
        {
            var config = await GetConfigAsync();
            var partitions = Partitions(config).ToList();
            await Task.WhenAll(partitions.Select(p => p.DeleteAsync()));
            await state.ClearStateAsync();
            state.State = new TopicState();

            // A partition that activated while those deletes ran (a read, or a live query syncing its output) still got
            // the configuration and opened its files again: delete it too, now that no partition of this topic can start.
            await Task.WhenAll(partitions.Select(DeleteStartedMeanwhileAsync));
            await GrainFactory.GetGrain<IPartitionBudgetGrain>(PartitionBudgetGrain.Key).ReleaseAsync(this.GetPrimaryKeyString());
            var ns = GrainFactory.GetGrain<INamespaceGrain>(_ns);
            await ns.RemoveAsync(_topic);
            await ns.AnnounceAsync();
            LogDeleted(logger, _ns, _topic, config.Partitions);
        }
        finally
        {
            _changes.Release();
        }
    }

    private static async Task DeleteStartedMeanwhileAsync(IPartitionGrain partition)
    {
        try
        {
            await partition.DeleteAsync();
        }
        catch (Exception ex) when (EffluxException.From(ex) is { Error: EffluxError.TopicNotFound })
        {
            // Not active: it cannot start any more, and its files went with the first delete.
        }
    }

    public void Dispose() => _changes.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Namespace}/{Topic} created with {Partitions} partitions; their home silos, by partition: {Homes}")]
    private static partial void LogCreated(ILogger logger, string @namespace, string topic, int partitions, List<string> homes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Namespace}/{Topic} configuration changed; its partitions reload it")]
    private static partial void LogUpdated(ILogger logger, string @namespace, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Namespace}/{Topic} deleted with its {Partitions} partitions")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string topic, int partitions);

    /// <summary>
    /// One active silo per partition, by stable name: the partitions go round the active silos in name order, starting
    /// at a place the topic's name picks, so that small topics spread too.
    /// </summary>
    private List<string> ChooseHomes(int partitions)
    {
        var names = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !string.IsNullOrEmpty(m.Name))
            .Select(m => m.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            names.Add(silo.Name);
        }

        var start = GrainKeys.PartitionOf(this.GetPrimaryKeyString(), names.Count);
        return [.. Enumerable.Range(0, partitions).Select(p => names[(start + p) % names.Count])];
    }

    private IEnumerable<IPartitionGrain> Partitions(TopicConfig config)
        => Enumerable.Range(0, config.Partitions).Select(p => GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_ns, _topic, p)));

    /// <summary>The configuration with the silo's defaults filled in, or a 400 naming what is wrong.</summary>
    private TopicConfig Complete(TopicConfig config)
    {
        var defaults = options.Value;
        var complete = new TopicConfig
        {
            Partitions = config.Partitions == 0 ? defaults.DefaultPartitions : config.Partitions,
            RetentionAge = config.RetentionAge ?? defaults.RetentionAge,
            RetentionBytes = config.RetentionBytes ?? defaults.RetentionBytes,
            MaxMessageBytes = config.MaxMessageBytes == 0 ? defaults.MaxMessageBytes : config.MaxMessageBytes,
            SegmentBytes = config.SegmentBytes == 0 ? defaults.SegmentBytes : config.SegmentBytes,
        };
        var problem = complete switch
        {
            { Partitions: var n } when n < 1 || n > Math.Min(defaults.MaxPartitionsPerTopic, EffluxOptions.MaxPartitions)
                => $"partitions must be 1 to {Math.Min(defaults.MaxPartitionsPerTopic, EffluxOptions.MaxPartitions)} (Efflux:MaxPartitionsPerTopic)",
            { RetentionAge: { } age } when age <= TimeSpan.Zero => "retention age must be positive",
            { RetentionBytes: <= 0 } => "retention bytes must be positive",
            { MaxMessageBytes: var bytes } when bytes < 1 || bytes > Math.Min(64 << 20, defaults.MaxCallBytes - (1 << 20))
                => $"max message bytes must be 1 to {Math.Min(64 << 20, defaults.MaxCallBytes - (1 << 20))}",
            { SegmentBytes: < 4096 } => "segment bytes must be at least 4096",
            _ => null,
        };
        return problem is null ? complete : throw EffluxException.Invalid($"Topic {_ns}/{_topic}: {problem}.");
    }

    private static bool Same(TopicConfig a, TopicConfig b)
        => a.Partitions == b.Partitions && a.RetentionAge == b.RetentionAge && a.RetentionBytes == b.RetentionBytes
            && a.MaxMessageBytes == b.MaxMessageBytes && a.SegmentBytes == b.SegmentBytes;
}
