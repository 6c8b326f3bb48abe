namespace Efflux.Processing.Parsing;

/// <summary>A 1-based line and column in the query text.</summary>
/// <param name="Line">Line number, from 1.</param>
/// <param name="Column">Column number, from 1.</param>
public readonly record struct SourcePosition(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}, column {Column}";
}
