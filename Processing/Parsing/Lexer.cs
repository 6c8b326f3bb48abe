using System.Text;

namespace Efflux.Processing.Parsing;

/// <summary>Splits query text into tokens; <c>--</c> starts a comment to the end of the line.</summary>
public static class Lexer
{
    private static readonly string[] Symbols = ["->", "!=", "<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".", ";"];

    /// <summary>The tokens of <paramref name="text"/>, ending with one <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var i = 0;
        var line = 1;
        var lineStart = 0;
        while (true)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || (text[i] == '-' && i + 1 < text.Length && text[i + 1] == '-')))
            {
                if (text[i] == '-')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                }

                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }

                i++;
            }

            var position = new SourcePosition(line, i - lineStart + 1);
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, position));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], position));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                var isFloat = false;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    isFloat = true;
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                if (i < text.Length && (text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || ((text[i + 1] == '+' || text[i + 1] == '-') && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
                {
                    isFloat = true;
                    i += 2;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(isFloat ? TokenKind.FloatLiteral : TokenKind.IntegerLiteral, text[start..i], position));
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new QueryException(position, "unterminated string: expected a closing quote (')");
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                        lineStart = i + 1;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(TokenKind.StringLiteral, value.ToString(), position));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw new QueryException(position, $"unexpected character '{c}'");
                tokens.Add(new Token(TokenKind.Symbol, symbol, position));
                i += symbol.Length;
            }
        }
    }
}
