using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>JOIN stream [WINDOW …] ON condition</c>.</summary>
/// <param name="Right">The joined stream.</param>
/// <param name="On">The join condition.</param>
/// <param name="Position">Where it stands.</param>
public sealed record JoinClause(StreamSource Right, Expr On, SourcePosition Position);
