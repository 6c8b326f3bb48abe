namespace Efflux.Grains;

/// <summary>The live queries of one namespace, sorted. Key: <c>{ns}</c>.</summary>
[Alias("efflux.queries")]
public interface IQueryCatalogGrain : INameSetGrain;
