namespace Efflux.Silo.Api.Responses;

/// <summary>The consumer groups of a topic, described.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Groups">Every group that has committed an offset.</param>
public sealed record GroupListResponse(string Namespace, string Topic, IReadOnlyList<GroupInfo> Groups);

/// <summary>A commit's outcome.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Committed">The group's committed offset (the next to read).</param>
public sealed record CommitResponse(int Partition, long Committed);
