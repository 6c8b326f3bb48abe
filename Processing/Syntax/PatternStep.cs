using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>One <c>alias=stream</c> step of a pattern.</summary>
/// <param name="Alias">The name the bound event is referred to by.</param>
/// <param name="Stream">The stream name or data type the event must be of.</param>
/// <param name="Position">Where it stands.</param>
public sealed record PatternStep(string Alias, string Stream, SourcePosition Position);
