namespace Efflux.Processing.Parsing;

/// <summary>Kinds of tokens.</summary>
public enum TokenKind
{
    /// <summary>A name: attribute, stream, alias, keyword or function.</summary>
    Identifier,

    /// <summary>An integer literal.</summary>
    IntegerLiteral,

    /// <summary>A literal with a fraction or exponent.</summary>
    FloatLiteral,

    /// <summary>A single-quoted string.</summary>
    StringLiteral,

    /// <summary>An operator or punctuation.</summary>
    Symbol,

    /// <summary>The end of the text.</summary>
    End,
}
