namespace Efflux.Grains;

/// <summary>The topics of one namespace, sorted. Key: <c>{ns}</c>.</summary>
[Alias("efflux.namespace")]
public interface INamespaceGrain : INameSetGrain;
