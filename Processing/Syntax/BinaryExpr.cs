using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>An arithmetic, comparison or logical operator: + - * / % = != &lt; &lt;= &gt; &gt;= AND OR (<c>&lt;&gt;</c> is read as <c>!=</c>).</summary>
/// <param name="Operator">The operator, upper-case for AND and OR.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
/// <param name="Position">Where it stands.</param>
public sealed record BinaryExpr(string Operator, Expr Left, Expr Right, SourcePosition Position) : Expr(Position);
