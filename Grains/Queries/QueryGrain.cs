using Efflux.Grains.Streams;
using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;
using Efflux.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains.Queries;

/// <summary>
/// A live query: checks and plans the EffluxQL text, creates missing output topics, and runs one operator grain per
/// key shard (one in all for a query that needs a single order of events).
/// </summary>
[GrainType("efflux.query")]
internal sealed partial class QueryGrain(
    [PersistentState("query", EffluxStorage.Name)] IPersistentState<QueryState> state,
    IOptions<EffluxOptions> options,
    TimeProvider time,
    ILogger<QueryGrain> logger) : Grain, IQueryGrain
{
    private string _ns = "";
    private string _name = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        (_ns, _name) = (key[..slash], key[(slash + 1)..]);
        return Task.CompletedTask;
    }

    public async Task<QueryInfo> CreateAsync(QueryDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (state.State.Plan is { } existing)
        {
            return existing.Text == definition.Text
                ? await DescribeAsync()
                : throw new EffluxException(EffluxError.Conflict, $"Query {_ns}/{_name} exists with another text; delete it first.");
        }

        RequireName(_name, "query");

        var statements = Check(definition.Text, _name);
        var sources = await SourcesAsync(statements);
        var outputs = statements.Select(s => s.Output).Distinct().ToList();
        if (outputs.FirstOrDefault(o => sources.Contains(o)) is { } loop)
        {
            throw EffluxException.Invalid($"The query writes to {loop}, which it also reads.");
        }

        foreach (var output in outputs)
        {
            RequireName(output, "output topic");
        }

        var keys = ShardKeys(statements);
        var shards = keys.Count == 0 ? 1 : definition.Shards ?? options.Value.QueryShards;
        if (shards is < 1 or > 64)
        {
            throw EffluxException.Invalid("shards must be 1 to 64.");
        }

        foreach (var output in outputs)
        {
            await EnsureOutputAsync(output);
        }

        var plan = new QueryPlan
        {
            Namespace = _ns,
            Name = _name,
            Text = definition.Text,
            Generation = Guid.NewGuid().ToString("N"),
            Shards = shards,
            ShardKeys = keys,
            Sources = await StartsAsync(sources, definition.Start ?? QueryStart.Earliest),
            Outputs = outputs,
            IdleTimeout = definition.IdleTimeout ?? options.Value.QueryIdleTimeout,
        };
        state.State = new QueryState { Plan = plan, Running = true, Created = time.GetUtcNow() };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IQueryCatalogGrain>(_ns).AddAsync(_name);
        await GrainFactory.GetGrain<IStreamNamespacesGrain>(EffluxStreams.ProviderName).WatchAsync(_ns);
        await Task.WhenAll(Operators(plan).Select(o => o.Grain.StartAsync(o.Plan)));
        LogCreated(logger, plan.Query, shards, plan.Sources.Count);
        return await DescribeAsync();
    }

    public async Task<QueryInfo> DescribeAsync()
    {
        var plan = Plan();
        var statuses = await Task.WhenAll(Operators(plan).Select(o => o.Grain.StatusAsync()));
        var info = new QueryInfo
        {
            Namespace = _ns,
            Name = _name,
            Text = plan.Text,
            Outputs = plan.Outputs,
            Shards = plan.Shards,
            ShardKeys = plan.ShardKeys,
            Created = state.State.Created,
            Status = statuses.Any(s => s.Failed) ? "failed" : state.State.Running ? "running" : "stopped",
            EventsIn = statuses.Sum(s => s.EventsIn),
            RowsOut = statuses.Sum(s => s.RowsOut),
            Late = statuses.Max(s => s.Late),
            Unreadable = statuses.Max(s => s.Unreadable),
            Watermark = statuses.All(s => s.Watermark is not null) ? statuses.Min(s => s.Watermark) : null,
            LastError = statuses.Select(s => s.LastError).FirstOrDefault(e => e is not null),
        };
        for (var i = 0; i < plan.Sources.Count; i++)
        {
            var source = plan.Sources[i];
            var position = statuses.Min(s => s.Positions.Count > i ? s.Positions[i] : source.Start);
            long? end = null;
            try
            {
                end = (await GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_ns, source.Topic, source.Partition)).DescribeAsync()).NextOffset;
            }
            catch (Exception ex) when (EffluxException.From(ex) is { Error: EffluxError.Unavailable })
            {
                // The partition's silo is down: end and lag are unknown.
            }

            info.Sources.Add(new QuerySourceInfo { Topic = source.Topic, Partition = source.Partition, Position = position, EndOffset = end, Lag = end - position });
        }

        return info;
    }

    public async Task<QueryInfo> StopAsync()
    {
        var plan = Plan();
        await Task.WhenAll(Operators(plan).Select(o => o.Grain.StopAsync()));
        state.State.Running = false;
        await state.WriteStateAsync();
        return await DescribeAsync();
    }

    public async Task<QueryInfo> StartAsync()
    {
        var plan = Plan();
        await Task.WhenAll(Operators(plan).Select(o => o.Grain.StartAsync(o.Plan)));
        state.State.Running = true;
        await state.WriteStateAsync();
        return await DescribeAsync();
    }

    public async Task DeleteAsync()
    {
        var plan = Plan();
        await Task.WhenAll(Operators(plan).Select(o => o.Grain.DeleteAsync()));
        await GrainFactory.GetGrain<IQueryCatalogGrain>(_ns).RemoveAsync(_name);
        await state.ClearStateAsync();
        LogDeleted(logger, plan.Query);
        DeactivateOnIdle();
    }

    private QueryPlan Plan() => state.State.Plan ?? throw new EffluxException(EffluxError.NotFound, $"Query {_ns}/{_name} does not exist.");

    private IEnumerable<(IQueryOperatorGrain Grain, QueryPlan Plan)> Operators(QueryPlan plan)
        => Enumerable.Range(0, plan.Shards).Select(shard => (
            GrainFactory.GetGrain<IQueryOperatorGrain>(plan.Query + "/" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            plan.ForShard(shard)));

    private static void RequireName(string name, string kind)
    {
        try
        {
            StorageNames.Validate(name, kind);
        }
        catch (InvalidNameException ex)
        {
            throw EffluxException.Invalid(ex.Message);
        }
    }

    private static IReadOnlyList<Statement> Check(string text, string name)
    {
        try
        {
            return QueryText.Check(text, name);
        }
        catch (QueryException ex)
        {
            throw EffluxException.Invalid($"The query is not valid: {ex.Message}");
        }
    }

    /// <summary>
    /// The source topics in order of first mention: FROM and JOIN streams must be topics; a MATCH step is a topic
    /// when one of that name exists (otherwise it names a data type).
    /// </summary>
    private async Task<List<string>> SourcesAsync(IReadOnlyList<Statement> statements)
    {
        var sources = new List<string>();
        foreach (var statement in statements)
        {
            foreach (var required in new[] { statement.From.Name, statement.Join?.Right.Name }.OfType<string>())
            {
                if (!sources.Contains(required))
                {
                    await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, required)).GetConfigAsync();
                    sources.Add(required);
                }
            }

            foreach (var step in statement.Pattern?.Steps ?? [])
            {
                if (!sources.Contains(step.Stream) && StorageNames.IsValid(step.Stream) && await TopicExistsAsync(step.Stream))
                {
                    sources.Add(step.Stream);
                }
            }
        }

        return sources;
    }

    private async Task<bool> TopicExistsAsync(string topic)
    {
        try
        {
            await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, topic)).GetConfigAsync();
            return true;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.TopicNotFound)
        {
            return false;
        }
    }

    private async Task EnsureOutputAsync(string output)
    {
        if (!await TopicExistsAsync(output))
        {
            await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, output)).CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });
        }
    }

    /// <summary>Every partition of every source with the offset the query starts at.</summary>
    private async Task<List<SourcePartition>> StartsAsync(List<string> topics, QueryStart start)
    {
        var partitions = new List<SourcePartition>();
        foreach (var topic in topics)
        {
            var count = (await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, topic)).GetConfigAsync()).Partitions;
            for (var p = 0; p < count; p++)
            {
                var grain = GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_ns, topic, p));
                var key = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var offset = start.FromEnd ? (await grain.DescribeAsync()).NextOffset
                    : start.Time is { } at ? await grain.OffsetForTimeAsync(at)
                    : start.Offsets?.GetValueOrDefault(topic + "/" + key) ?? start.Offsets?.GetValueOrDefault(key) ?? 0;
                if (offset < 0)
                {
                    throw EffluxException.Invalid("A start offset cannot be negative.");
                }

                partitions.Add(new SourcePartition { Topic = topic, Partition = p, Start = offset });
            }
        }

        return partitions;
    }

    /// <summary>
    /// The GROUP BY attributes every statement groups by, when events can be spread over operators by them: each
    /// statement aggregates over a TUMBLING, SLIDING, SESSION, TIME or EXTERNALTIME window grouped by plain attributes,
    /// and all group by the same ones. Otherwise none: the query runs in one operator.
    /// </summary>
    private static List<string> ShardKeys(IReadOnlyList<Statement> statements)
    {
        List<string>? keys = null;
        foreach (var s in statements)
        {
            var shardable = s.Pattern is null && s.Join is null && Analyzer.IsAggregating(s)
                && s.From.Window?.Kind is WindowKind.Tumbling or WindowKind.Sliding or WindowKind.Session or WindowKind.Time or WindowKind.ExternalTime
                && s.GroupBy.Count > 0 && s.GroupBy.All(g => g is AttributeExpr { Qualifier: null });
            if (!shardable)
            {
                return [];
            }

            var mine = s.GroupBy.Cast<AttributeExpr>().Select(a => a.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            if (keys is not null && !keys.SequenceEqual(mine))
            {
                return [];
            }

            keys = mine;
        }

        return keys ?? [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} created: {Shards} operator(s) over {Sources} source partitions")]
    private static partial void LogCreated(ILogger logger, string query, int shards, int sources);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} deleted")]
    private static partial void LogDeleted(ILogger logger, string query);
}
