using System.Globalization;
using System.Text;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Parsing;

/// <summary>
/// A hand-written recursive-descent parser for EffluxQL. Errors name the line and column and what was expected.
/// Precedence, loosest first: OR, AND, NOT, comparison (= != &lt;&gt; &lt; &lt;= &gt; &gt;= IS IN LIKE), + -, * / %, unary -.
/// Not thread-safe; one parser per text.
/// </summary>
public sealed class Parser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "INSERT", "INTO", "WINDOW", "JOIN", "ON", "MATCH", "WITHIN",
        "FILTER", "AS", "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE",
    };

    private readonly List<Token> _tokens;
    private readonly string _defaultOutput;
    private int _next;

    private Parser(string text, string defaultOutput)
    {
        _tokens = Lexer.Tokenize(text);
        _defaultOutput = defaultOutput;
    }

    /// <summary>Parses one or more statements; each ends with <c>;</c> (the last one may omit it).</summary>
    /// <param name="text">The query text.</param>
    /// <param name="defaultOutput">The output name of statements without INSERT INTO (the query's name).</param>
    public static IReadOnlyList<Statement> Parse(string text, string defaultOutput = "query")
    {
        var parser = new Parser(text, defaultOutput);
        var statements = new List<Statement>();
        do
        {
            statements.Add(parser.ParseStatement());
            if (!parser.TrySymbol(";") && parser.Current.Kind != TokenKind.End)
            {
                throw parser.Expected("';' or the end of the query");
            }
        }
        while (parser.Current.Kind != TokenKind.End);
        return statements;
    }

    private Token Current => _tokens[_next];

    private Statement ParseStatement()
    {
        var start = ExpectKeyword("SELECT").Position;
        var select = ParseSelectList();
        ExpectKeyword("FROM");
        var from = ParseSource();
        JoinClause? join = null;
        PatternClause? pattern = null;
        if (Current.Is("JOIN"))
        {
            var at = Advance().Position;
            var right = ParseSource();
            ExpectKeyword("ON");
            join = new JoinClause(right, ParseExpression(), at);
        }
        else if (Current.Is("MATCH"))
        {
            pattern = ParsePattern();
        }

        Expr? where = null;
        var groupBy = new List<Expr>();
        Expr? having = null;
        if (pattern is null)
        {
            if (TryKeyword("WHERE"))
            {
                where = ParseExpression();
            }

            if (TryKeyword("GROUP"))
            {
                ExpectKeyword("BY");
                do
                {
                    groupBy.Add(ParseExpression());
                }
                while (TrySymbol(","));
            }

            if (TryKeyword("HAVING"))
            {
                having = ParseExpression();
            }
        }

        var output = _defaultOutput;
        if (TryKeyword("INSERT"))
        {
            ExpectKeyword("INTO");
            output = ExpectName("an output name").Text;
        }

        return new Statement(select, from, join, pattern, where, groupBy, having, output, start);
    }

    private List<SelectItem> ParseSelectList()
    {
        var items = new List<SelectItem>();
        do
        {
            var at = Current.Position;
            if (TrySymbol("*"))
            {
                items.Add(new SelectItem(null, "*", at));
                continue;
            }

            var first = _next;
            var expression = ParseExpression();
            var name = TryKeyword("AS") ? ExpectName("a name after AS").Text : DefaultName(expression, first, _next);
            items.Add(new SelectItem(expression, name, at));
        }
        while (TrySymbol(","));
        return items;
    }

    /// <summary>An attribute is named by itself; anything else by its source text with the spaces removed.</summary>
    private string DefaultName(Expr expression, int firstToken, int endToken)
    {
        if (expression is AttributeExpr attribute)
        {
            return attribute.Name;
        }

        var text = new StringBuilder();
        for (var i = firstToken; i < endToken; i++)
        {
            var t = _tokens[i];
            // The spaces between tokens go (as the contract says); a string literal keeps its own characters.
            text.Append(t.Kind == TokenKind.StringLiteral ? "'" + t.Text.Replace("'", "''", StringComparison.Ordinal) + "'" : t.Text);
        }

        return text.ToString();
    }

    private StreamSource ParseSource()
    {
        var name = ExpectName("a stream name");
        string? alias = null;
        if (TryKeyword("AS"))
        {
            alias = ExpectName("an alias after AS").Text;
        }

        WindowSpec? window = null;
        if (TryKeyword("WINDOW"))
        {
            window = ParseWindow();
        }

        return new StreamSource(name.Text, alias, window, name.Position);
    }

    private WindowSpec ParseWindow()
    {
        var kindToken = Current;
        if (kindToken.Kind != TokenKind.Identifier || !Enum.TryParse<WindowKind>(kindToken.Text, ignoreCase: true, out var kind))
        {
            throw Expected("a window type (TUMBLING, SLIDING, SESSION, TIME, EXTERNALTIME, TIMEBATCH, LENGTH, LENGTHBATCH, DELAY)");
        }

        Advance();
        ExpectSymbol("(");
        WindowSpec spec;
        switch (kind)
        {
            case WindowKind.Sliding:
                {
                    var size = ParseDuration();
                    ExpectSymbol(",");
                    spec = new WindowSpec(kind, size, ParseDuration(), null, null, kindToken.Position);
                    break;
                }

            case WindowKind.ExternalTime:
                {
                    var attribute = ExpectName("the attribute that holds the time");
                    ExpectSymbol(",");
                    spec = new WindowSpec(kind, ParseDuration(), null, null, attribute.Text, kindToken.Position);
                    break;
                }

            case WindowKind.Length or WindowKind.LengthBatch:
                {
                    var count = Current;
                    if (count.Kind != TokenKind.IntegerLiteral || !long.TryParse(count.Text, CultureInfo.InvariantCulture, out var n) || n <= 0)
                    {
                        throw Expected("a positive whole number of events");
                    }

                    Advance();
                    spec = new WindowSpec(kind, null, null, n, null, kindToken.Position);
                    break;
                }

            default:
                spec = new WindowSpec(kind, ParseDuration(), null, null, null, kindToken.Position);
                break;
        }

        ExpectSymbol(")");
        return spec;
    }

    private PatternClause ParsePattern()
    {
        var at = ExpectKeyword("MATCH").Position;
        ExpectSymbol("(");
        var steps = new List<PatternStep>();
        do
        {
            var alias = ExpectName("a pattern alias (e1=stream)");
            ExpectSymbol("=");
            var stream = ExpectName("a stream name or data type");
            steps.Add(new PatternStep(alias.Text, stream.Text, alias.Position));
        }
        while (TrySymbol("->"));
        if (steps.Count < 2)
        {
            throw Expected("'->' and a second step: a pattern has at least two steps");
        }

        ExpectSymbol(")");
        ExpectKeyword("WITHIN");
        var within = ParseDuration();
        var filter = TryKeyword("FILTER") ? ParseExpression() : null;
        return new PatternClause(steps, within, filter, at);
    }

    /// <summary>A number and a unit: ms, sec/second/seconds, min/minute/minutes, hour/hours, day/days. Must be positive.</summary>
    private long ParseDuration()
    {
        var number = Current;
        if (number.Kind is not (TokenKind.IntegerLiteral or TokenKind.FloatLiteral))
        {
            throw Expected("a duration such as 10 sec");
        }

        Advance();
        var unit = Current;
        long? scale = unit.Kind != TokenKind.Identifier ? null : unit.Text.ToLowerInvariant() switch
        {
            "ms" or "millisecond" or "milliseconds" => 1,
            "sec" or "second" or "seconds" => 1000,
            "min" or "minute" or "minutes" => 60_000,
            "hour" or "hours" => 3_600_000,
            "day" or "days" => 86_400_000,
            _ => null,
        };
        if (scale is null)
        {
            throw Expected("a duration unit (ms, sec, min, hour, day)");
        }

        Advance();
        var value = double.Parse(number.Text, CultureInfo.InvariantCulture) * scale.Value;
        if (value < 1 || value > long.MaxValue / 2)
        {
            throw new QueryException(number.Position, $"the duration {number.Text} {unit.Text} must be at least 1 ms");
        }

        return (long)value;
    }

    private Expr ParseExpression() => ParseOr();

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Is("OR"))
        {
            var at = Advance().Position;
            left = new BinaryExpr("OR", left, ParseAnd(), at);
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.Is("AND"))
        {
            var at = Advance().Position;
            left = new BinaryExpr("AND", left, ParseNot(), at);
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Current.Is("NOT"))
        {
            var at = Advance().Position;
            return new UnaryExpr("NOT", ParseNot(), at);
        }

        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            var at = Current.Position;
            if (Current.Kind == TokenKind.Symbol && Current.Text is "=" or "!=" or "<>" or "<" or "<=" or ">" or ">=")
            {
                var op = Advance().Text;
                left = new BinaryExpr(op == "<>" ? "!=" : op, left, ParseAdditive(), at);
            }
            else if (Current.Is("IS"))
            {
                Advance();
                var negated = TryKeyword("NOT");
                ExpectKeyword("NULL");
                left = new IsNullExpr(left, negated, at);
            }
            else if (Current.Is("IN") || Current.Is("LIKE") || (Current.Is("NOT") && (Peek(1).Is("IN") || Peek(1).Is("LIKE"))))
            {
                var negated = TryKeyword("NOT");
                if (TryKeyword("LIKE"))
                {
                    left = new LikeExpr(left, ParseAdditive(), negated, at);
                    continue;
                }

                ExpectKeyword("IN");
                ExpectSymbol("(");
                var items = new List<Expr>();
                do
                {
                    items.Add(ParseExpression());
                }
                while (TrySymbol(","));
                ExpectSymbol(")");
                left = new InExpr(left, items, negated, at);
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.IsSymbol("+") || Current.IsSymbol("-"))
        {
            var token = Advance();
            left = new BinaryExpr(token.Text, left, ParseMultiplicative(), token.Position);
        }

        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.IsSymbol("*") || Current.IsSymbol("/") || Current.IsSymbol("%"))
        {
            var token = Advance();
            left = new BinaryExpr(token.Text, left, ParseUnary(), token.Position);
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (Current.IsSymbol("-"))
        {
            var at = Advance().Position;
            return new UnaryExpr("-", ParseUnary(), at);
        }

        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.IntegerLiteral:
                Advance();
                return long.TryParse(token.Text, CultureInfo.InvariantCulture, out var integer)
                    ? new LiteralExpr(integer, token.Position)
                    : new LiteralExpr(double.Parse(token.Text, CultureInfo.InvariantCulture), token.Position);
            case TokenKind.FloatLiteral:
                Advance();
                return new LiteralExpr(double.Parse(token.Text, CultureInfo.InvariantCulture), token.Position);
            case TokenKind.StringLiteral:
                Advance();
                return new LiteralExpr(token.Text, token.Position);
        }

        if (TrySymbol("("))
        {
            var inner = ParseExpression();
            ExpectSymbol(")");
            return inner;
        }

        if (token.Is("TRUE") || token.Is("FALSE") || token.Is("NULL"))
        {
            Advance();
            return new LiteralExpr(token.Is("NULL") ? null : token.Is("TRUE"), token.Position);
        }

        if (token.Is("CASE"))
        {
            return ParseCase();
        }

        if (token.Kind != TokenKind.Identifier || Reserved.Contains(token.Text))
        {
            throw Expected("an expression");
        }

        Advance();
        if (TrySymbol("("))
        {
            var name = token.Text.ToUpperInvariant();
            if (TrySymbol("*"))
            {
                ExpectSymbol(")");
                return new CallExpr(name, [], true, token.Position);
            }

            var arguments = new List<Expr>();
            if (!TrySymbol(")"))
            {
                do
                {
                    arguments.Add(ParseExpression());
                }
                while (TrySymbol(","));
                ExpectSymbol(")");
            }

            return new CallExpr(name, arguments, false, token.Position);
        }

        if (TrySymbol("."))
        {
            var attribute = ExpectName("an attribute name after '.'");
            return new AttributeExpr(token.Text, attribute.Text, token.Position);
        }

        return new AttributeExpr(null, token.Text, token.Position);
    }

    private CaseExpr ParseCase()
    {
        var at = ExpectKeyword("CASE").Position;
        var branches = new List<CaseBranch>();
        while (TryKeyword("WHEN"))
        {
            var when = ParseExpression();
            ExpectKeyword("THEN");
            branches.Add(new CaseBranch(when, ParseExpression()));
        }

        if (branches.Count == 0)
        {
            throw Expected("WHEN");
        }

        var otherwise = TryKeyword("ELSE") ? ParseExpression() : null;
        ExpectKeyword("END");
        return new CaseExpr(branches, otherwise, at);
    }

    private Token Peek(int ahead) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    private Token Advance() => _tokens[_next < _tokens.Count - 1 ? _next++ : _next];

    private bool TryKeyword(string keyword)
    {
        if (!Current.Is(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool TrySymbol(string symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        Advance();
        return true;
    }

    private Token ExpectKeyword(string keyword) => Current.Is(keyword) ? Advance() : throw Expected(keyword);

    private void ExpectSymbol(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Expected($"'{symbol}'");
        }
    }

    private Token ExpectName(string what)
        => Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text) ? Advance() : throw Expected(what);

    private QueryException Expected(string what) => new(Current.Position, $"expected {what}, found {Current.Describe()}");
}
