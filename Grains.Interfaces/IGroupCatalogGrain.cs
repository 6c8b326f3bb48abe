namespace Efflux.Grains;

/// <summary>The consumer groups that have committed an offset of one topic, sorted. Key: <c>{ns}/{topic}</c>.</summary>
[Alias("efflux.groups")]
public interface IGroupCatalogGrain : INameSetGrain;
