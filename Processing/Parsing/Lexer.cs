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
        var scanner = new Scanner(text);
        var tokens = new List<Token>();
        while (true)
        {
            scanner.SkipSpaceAndComments();
            var position = scanner.Position;
            if (scanner.AtEnd)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, position));
                return tokens;
            }

            var c = scanner.Current;
            tokens.Add(c switch
            {
                _ when char.IsAsciiLetter(c) || c == '_' => new Token(TokenKind.Identifier, scanner.Identifier(), position),
                _ when char.IsAsciiDigit(c) => scanner.Number(position),
                '\'' => new Token(TokenKind.StringLiteral, scanner.String(position), position),
                _ => new Token(TokenKind.Symbol, scanner.Symbol(position), position),
            });
        }
    }

    /// <summary>A position in the text with its line bookkeeping, and one method per kind of token.</summary>
    private sealed class Scanner(string text)
    {
        private int _i;
        private int _line = 1;
        private int _lineStart;

        public bool AtEnd => _i >= text.Length;

        public char Current => text[_i];

        public SourcePosition Position => new(_line, _i - _lineStart + 1);

        public void SkipSpaceAndComments()
        {
            while (_i < text.Length && (char.IsWhiteSpace(text[_i]) || (text[_i] == '-' && Next(1) == '-')))
            {
                if (text[_i] == '-')
                {
                    while (_i < text.Length && text[_i] != '\n')
                    {
                        _i++;
                    }

                    continue;
                }

                Advance();
            }
        }

        public string Identifier()
        {
            var start = _i;
            while (_i < text.Length && (char.IsAsciiLetterOrDigit(text[_i]) || text[_i] == '_'))
            {
                _i++;
            }

            return text[start.._i];
        }

        /// <summary>Digits, an optional fraction and an optional exponent: an integer or a float literal.</summary>
        public Token Number(SourcePosition position)
        {
            var start = _i;
            var isFloat = false;
            Digits();
            if (Next(0) == '.' && char.IsAsciiDigit(Next(1)))
            {
                isFloat = true;
                _i++;
                Digits();
            }

            if (Next(0) is 'e' or 'E' && (char.IsAsciiDigit(Next(1)) || (Next(1) is '+' or '-' && char.IsAsciiDigit(Next(2)))))
            {
                isFloat = true;
                _i += 2;
                Digits();
            }

            return new Token(isFloat ? TokenKind.FloatLiteral : TokenKind.IntegerLiteral, text[start.._i], position);
        }

        /// <summary>A quoted string; <c>''</c> inside it is one quote, and it may span lines.</summary>
        public string String(SourcePosition position)
        {
            var value = new StringBuilder();
            _i++;
            while (true)
            {
                if (_i >= text.Length)
                {
                    throw new QueryException(position, "unterminated string: expected a closing quote (')");
                }

                if (text[_i] == '\'')
                {
                    if (Next(1) == '\'')
                    {
                        value.Append('\'');
                        _i += 2;
                        continue;
                    }

                    _i++;
                    return value.ToString();
                }

                value.Append(text[_i]);
                Advance();
            }
        }

        public string Symbol(SourcePosition position)
        {
            var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, _i, s, 0, s.Length) == 0)
                ?? throw new QueryException(position, $"unexpected character '{text[_i]}'");
            _i += symbol.Length;
            return symbol;
        }

        /// <summary>The character <paramref name="ahead"/> places on, or NUL past the end.</summary>
        private char Next(int ahead) => _i + ahead < text.Length ? text[_i + ahead] : '\0';

        private void Digits()
        {
            while (_i < text.Length && char.IsAsciiDigit(text[_i]))
            {
                _i++;
            }
        }

        /// <summary>One character on, counting lines.</summary>
        private void Advance()
        {
            if (text[_i] == '\n')
            {
                _line++;
                _lineStart = _i + 1;
            }

            _i++;
        }
    }
}
