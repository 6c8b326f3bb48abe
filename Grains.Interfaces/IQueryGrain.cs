namespace Efflux.Grains;

/// <summary>A live EffluxQL query: its text, plan and status, and its operator grains. Key: <c>{ns}/{name}</c>.</summary>
[Alias("efflux.query")]
public interface IQueryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates and starts the query. Creating it again with the same text changes nothing; another text is a
    /// <see cref="EffluxError.Conflict"/> (delete it first). A bad query is <see cref="EffluxError.InvalidRequest"/>
    /// (the message names line and column), a missing source topic <see cref="EffluxError.TopicNotFound"/>.
    /// </summary>
    [Requires(Permissions.Admin)]
    Task<QueryInfo> CreateAsync(QueryDefinition definition);

    /// <summary>Text, status and progress; <see cref="EffluxError.NotFound"/> when there is no such query.</summary>
    [Requires(Permissions.Read)]
    Task<QueryInfo> DescribeAsync();

    /// <summary>Stops reading; state and positions are kept.</summary>
    [Requires(Permissions.Admin)]
    Task<QueryInfo> StopAsync();

    /// <summary>Starts a stopped (or failed) query again from where it stopped.</summary>
    [Requires(Permissions.Admin)]
    Task<QueryInfo> StartAsync();

    /// <summary>Stops the query and removes its state; its output topics stay.</summary>
    [Requires(Permissions.Admin)]
    Task DeleteAsync();
}
