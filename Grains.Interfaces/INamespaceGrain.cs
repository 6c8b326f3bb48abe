namespace Efflux.Grains;

/// <summary>The topics of one namespace, sorted. Key: <c>{ns}</c>.</summary>
[Alias("efflux.namespace")]
public interface INamespaceGrain : INameSetGrain
{
    /// <summary>
    /// Lists a topic that is being created with <paramref name="partitions"/> partitions, unless the namespace would
    /// then hold more topics or partitions than <c>Efflux:Limits</c> allows (<see cref="EffluxError.LimitExceeded"/>).
    /// </summary>
    Task AddTopicAsync(string topic, int partitions);
}
