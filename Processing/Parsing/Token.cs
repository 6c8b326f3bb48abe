namespace Efflux.Processing.Parsing;

/// <summary>One token: its kind, its text (for strings, the unescaped value) and where it starts.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Text">The text.</param>
/// <param name="Position">Where it starts.</param>
public readonly record struct Token(TokenKind Kind, string Text, SourcePosition Position)
{
    /// <summary>True for an identifier equal to <paramref name="keyword"/>, ignoring case.</summary>
    public bool Is(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the symbol <paramref name="symbol"/>.</summary>
    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.StringLiteral => $"'{Text}'",
        _ => $"'{Text}'",
    };
}
