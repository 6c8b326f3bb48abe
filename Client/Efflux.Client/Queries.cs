using Efflux.Grains;

namespace Efflux.Client;

/// <summary>
/// Live EffluxQL queries of the cluster (<see cref="EffluxClient.Queries"/>). A query's rows are records of its output
/// topics: read them with the normal topic reads.
/// </summary>
public sealed class Queries
{
    private readonly IClusterClient _cluster;

    internal Queries(IClusterClient cluster) => _cluster = cluster;

    /// <summary>Creates and starts a query reading topics of <paramref name="ns"/> from their oldest records.</summary>
    /// <exception cref="EffluxException">InvalidRequest for a bad query (the message names line and column), TopicNotFound for a missing source topic, Conflict for another query of that name.</exception>
    public Task<QueryInfo> CreateAsync(string ns, string name, string text)
        => CreateAsync(ns, name, new QueryDefinition { Text = text });

    /// <summary>Creates and starts a query with a start position, shards or idle timeout.</summary>
    public Task<QueryInfo> CreateAsync(string ns, string name, QueryDefinition definition)
        => Calls.Run(Grain(ns, name).CreateAsync(definition));

    /// <summary>The queries of a namespace, described.</summary>
    public async Task<IReadOnlyList<QueryInfo>> ListAsync(string ns)
    {
        var names = await Calls.Run(_cluster.GetGrain<IQueryCatalogGrain>(ns).ListAsync()).ConfigureAwait(false);
        return await Task.WhenAll(names.Select(n => GetAsync(ns, n))).ConfigureAwait(false);
    }

    /// <summary>Text, status and progress of a query.</summary>
    public Task<QueryInfo> GetAsync(string ns, string name) => Calls.Run(Grain(ns, name).DescribeAsync());

    /// <summary>Stops a query, keeping its state.</summary>
    public Task<QueryInfo> StopAsync(string ns, string name) => Calls.Run(Grain(ns, name).StopAsync());

    /// <summary>Starts a stopped query where it stopped.</summary>
    public Task<QueryInfo> StartAsync(string ns, string name) => Calls.Run(Grain(ns, name).StartAsync());

    /// <summary>Deletes a query and its state; its output topics stay.</summary>
    public Task DeleteAsync(string ns, string name) => Calls.Run(Grain(ns, name).DeleteAsync());

    private IQueryGrain Grain(string ns, string name) => _cluster.GetGrain<IQueryGrain>(ns + "/" + name);
}
