namespace Efflux.Processing.Parsing;

/// <summary>A query that does not parse or does not make sense, with where and what was expected.</summary>
public sealed class QueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueryException(SourcePosition position, string problem)
        : base($"{position}: {problem}")
    {
        Position = position;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public SourcePosition Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }
}
