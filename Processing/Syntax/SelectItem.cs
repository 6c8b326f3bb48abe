using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>One item of the select list: an expression and its output name, or <c>*</c>.</summary>
/// <param name="Expression">The expression; null for <c>*</c>.</param>
/// <param name="Name">The output name (AS, the attribute name, or the expression text without spaces).</param>
/// <param name="Position">Where it stands.</param>
public sealed record SelectItem(Expr? Expression, string Name, SourcePosition Position)
{
    /// <summary>True for <c>*</c>.</summary>
    public bool IsStar => Expression is null;
}
