using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>The live queries of one namespace. Key: <c>{ns}</c>.</summary>
[Alias("efflux.queries")]
public interface IQueryCatalogGrain : IGrainWithStringKey
{
    /// <summary>The query names, sorted.</summary>
    [ReadOnly]
    Task<List<string>> ListAsync();

    /// <summary>Records a created query.</summary>
    Task AddAsync(string name);

    /// <summary>Forgets a deleted query.</summary>
    Task RemoveAsync(string name);
}
