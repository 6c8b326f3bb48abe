using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>A durable, sorted set of names (the topics of a namespace, the namespaces, the groups of a topic, …).</summary>
[Alias("efflux.names")]
public interface INameSetGrain : IGrainWithStringKey
{
    /// <summary>The names, sorted (ordinal).</summary>
    [ReadOnly]
    [Requires(Permissions.Read)]
    Task<List<string>> ListAsync();

    /// <summary>Adds a name (idempotent).</summary>
    Task AddAsync(string name);

    /// <summary>Removes a name (idempotent).</summary>
    Task RemoveAsync(string name);
}
