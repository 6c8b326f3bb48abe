using System.Text;
using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine;

/// <summary>
/// Turns syntax trees into closures, once per query, so that evaluation walks no tree and allocates nothing for
/// numbers and booleans. Aggregate calls are handed to a callback of the caller (windows supply one).
/// Thread-safe: the only state is each attribute's schema-position cache, which is swapped atomically.
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>Compiles <paramref name="expression"/>; <paramref name="aggregate"/> supplies aggregate calls (null: none allowed).</summary>
    public static Compiled Compile(Expr expression, Func<CallExpr, Compiled>? aggregate = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return expression switch
        {
            LiteralExpr literal => Constant(Value.FromLiteral(literal.Value)),
            AttributeExpr a => Attribute(a.Qualifier, new AttributeRef(a.Name)),
            UnaryExpr u => Unary(u.Operator, Compile(u.Operand, aggregate)),
            BinaryExpr b => Binary(b.Operator, Compile(b.Left, aggregate), Compile(b.Right, aggregate), b.Right is LiteralExpr r ? Value.FromLiteral(r.Value) : null, b.Left is AttributeExpr a ? new(a.Qualifier, new AttributeRef(a.Name)) : null),
            IsNullExpr n => IsNull(Compile(n.Operand, aggregate), n.Negated),
            InExpr i => In(Compile(i.Operand, aggregate), [.. i.Items.Select(x => Compile(x, aggregate))], i.Negated),
            LikeExpr l => Like(Compile(l.Operand, aggregate), Compile(l.Pattern, aggregate), l.Negated),
            CaseExpr c => Case([.. c.Branches.Select(b => (Compile(b.When, aggregate), Compile(b.Then, aggregate)))], c.Else is null ? null : Compile(c.Else, aggregate)),
            CallExpr call when Analyzer.Aggregates.Contains(call.Name) => aggregate?.Invoke(call) ?? throw new QueryException(call.Position, $"the aggregate {call.Name} needs a window or GROUP BY here"),
            CallExpr call => Function(call.Name, [.. call.Arguments.Select(x => Compile(x, aggregate))], call),
            _ => throw new QueryException(expression.Position, $"cannot evaluate {expression.GetType().Name}"),
        };
    }

    private static Compiled Constant(Value value) => _ => value;

    private static Compiled Attribute(string? qualifier, AttributeRef attribute) => scope => Read(scope, qualifier, attribute);

    // A single event's scope, the common case, is read without an interface call.
    private static Value Read(IScope scope, string? qualifier, AttributeRef attribute)
        => scope is EventScope e ? attribute.Read(e.Event) : scope.Resolve(qualifier, attribute);

    private static Compiled Unary(string op, Compiled operand) => op switch
    {
        "-" => scope =>
        {
            var v = operand(scope);
            return v.Kind switch
            {
                ValueKind.Whole when v.AsLong != long.MinValue => Value.From(-v.AsLong),
                ValueKind.Whole or ValueKind.Real => Value.From(-v.AsDouble),
                _ => Value.Null,
            };
        },
        _ => scope =>
        {
            var v = operand(scope);
            return v.Kind == ValueKind.Bool ? Value.From(!v.AsBool) : Value.Null;
        },
    };

    /// <summary>
    /// A binary operator. <paramref name="constant"/> is the right operand when it is a literal, and
    /// <paramref name="attribute"/> the left one when it is a bare attribute: <c>attribute op literal</c>, the most common
    /// shape of a filter or a computed column (<c>x > 50</c>, <c>x * 2</c>), then runs as one closure that reads the
    /// attribute itself.
    /// </summary>
    private static Compiled Binary(string op, Compiled left, Compiled right, Value? constant, LeftAttribute? attribute) => op switch
    {
        "AND" => scope => Value.From(left(scope).IsTrue && right(scope).IsTrue),
        "OR" => scope => Value.From(left(scope).IsTrue || right(scope).IsTrue),
        "=" or "!=" or "<" or "<=" or ">" or ">=" => Comparison(ComparisonOf(op), left, right, constant, attribute),
        "+" => ArithmeticOf<Engine.Arithmetic.Plus>(left, right, constant, attribute),
        "-" => ArithmeticOf<Engine.Arithmetic.Minus>(left, right, constant, attribute),
        "*" => ArithmeticOf<Engine.Arithmetic.Times>(left, right, constant, attribute),
        "/" => ArithmeticOf<Engine.Arithmetic.Over>(left, right, constant, attribute),
        "%" => ArithmeticOf<Engine.Arithmetic.Modulo>(left, right, constant, attribute),
        _ => throw new ArgumentException($"'{op}' is not a binary operator.", nameof(op)),
    };

    private sealed record LeftAttribute(string? Qualifier, AttributeRef Attribute);

    private static Compiled Comparison(Test test, Compiled left, Compiled right, Value? constant, LeftAttribute? attribute)
    {
        if (constant is { } c)
        {
            if (attribute is (var qualifier, var reference))
            {
                return scope => Value.From(Holds(test, Read(scope, qualifier, reference), c));
            }

            return scope => Value.From(Holds(test, left(scope), c));
        }

        return scope => Value.From(Holds(test, left(scope), right(scope)));
    }

    private static Test ComparisonOf(string op) => op switch
    {
        "=" => Test.Equal,
        "!=" => Test.NotEqual,
        "<" => Test.Less,
        "<=" => Test.LessOrEqual,
        ">" => Test.Greater,
        _ => Test.GreaterOrEqual,
    };

    /// <summary>A comparison with NULL, or between kinds that do not compare, is false; except that != holds between two non-null values of different kinds.</summary>
    private static bool Holds(Test test, Value a, Value b)
    {
        int order;
        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            order = a.AsLong.CompareTo(b.AsLong);
        }
        else if (Value.Compare(a, b) is { } compared)
        {
            order = compared;
        }
        else
        {
            return test == Test.NotEqual && !a.IsNull && !b.IsNull;
        }

        return test switch
        {
            Test.Equal => order == 0,
            Test.NotEqual => order != 0,
            Test.Less => order < 0,
            Test.LessOrEqual => order <= 0,
            Test.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static Compiled ArithmeticOf<TOperator>(Compiled left, Compiled right, Value? constant, LeftAttribute? attribute)
        where TOperator : struct, Engine.Arithmetic.IOperator
    {
        if (constant is { } c)
        {
            if (attribute is (var qualifier, var reference))
            {
                return scope => TOperator.Apply(Read(scope, qualifier, reference), c);
            }

            return scope => TOperator.Apply(left(scope), c);
        }

        return scope => TOperator.Apply(left(scope), right(scope));
    }

    private enum Test
    {
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
    }

    private static Compiled IsNull(Compiled operand, bool negated) => scope => Value.From(operand(scope).IsNull != negated);

    private static Compiled In(Compiled operand, Compiled[] items, bool negated) => scope =>
    {
        var v = operand(scope);
        if (v.IsNull)
        {
            return Value.From(false);
        }

        foreach (var item in items)
        {
            if (Value.Compare(v, item(scope)) == 0)
            {
                return Value.From(!negated);
            }
        }

        return Value.From(negated);
    };

    private static Compiled Like(Compiled operand, Compiled pattern, bool negated) => scope =>
    {
        var (v, p) = (operand(scope), pattern(scope));
        if (v.Kind != ValueKind.Text || p.Kind != ValueKind.Text)
        {
            return Value.From(false);
        }

        return Value.From(LikeMatcher.Matches(v.AsText, p.AsText) != negated);
    };

    private static Compiled Case((Compiled When, Compiled Then)[] branches, Compiled? otherwise) => scope =>
    {
        foreach (var (when, then) in branches)
        {
            if (when(scope).IsTrue)
            {
                return then(scope);
            }
        }

        return otherwise?.Invoke(scope) ?? Value.Null;
    };

    private static Compiled Function(string name, Compiled[] args, CallExpr call) => name switch
    {
        "ABS" => scope =>
        {
            var v = args[0](scope);
            return v.Kind switch
            {
                ValueKind.Whole when v.AsLong != long.MinValue => Value.From(Math.Abs(v.AsLong)),
                ValueKind.Whole or ValueKind.Real => Value.From(Math.Abs(v.AsDouble)),
                _ => Value.Null,
            };
        },
        "ROUND" => scope =>
        {
            var v = args[0](scope);
            var digits = args.Length > 1 ? args[1](scope) : Value.From(0L);
            if (!v.IsNumber || digits.Kind != ValueKind.Whole)
            {
                return Value.Null;
            }

            if (v.Kind == ValueKind.Whole && digits.AsLong >= 0)
            {
                return v;
            }

            var scale = Math.Pow(10, digits.AsLong);
            var rounded = Math.Round(v.AsDouble * scale, MidpointRounding.AwayFromZero) / scale;
            return args.Length == 1 ? WholeIfExact(rounded) : Value.From(rounded);
        },
        "FLOOR" => Numeric(args[0], Math.Floor),
        "CEIL" => Numeric(args[0], Math.Ceiling),
        "SQRT" => scope =>
        {
            var v = args[0](scope);
            return v.IsNumber && v.AsDouble >= 0 ? Value.From(Math.Sqrt(v.AsDouble)) : Value.Null;
        },
        "LOWER" => Text(args[0], s => s.ToLowerInvariant()),
        "UPPER" => Text(args[0], s => s.ToUpperInvariant()),
        "LENGTH" => scope =>
        {
            var v = args[0](scope);
            return v.Kind == ValueKind.Text ? Value.From((long)v.AsText.Length) : Value.Null;
        },
        "CONCAT" => scope =>
        {
            var sb = new StringBuilder();
            var any = false;
            foreach (var a in args)
            {
                var v = a(scope);
                if (!v.IsNull)
                {
                    sb.Append(v.ToString());
                    any = true;
                }
            }

            return any ? Value.From(sb.ToString()) : Value.Null;
        },
        "COALESCE" => scope =>
        {
            foreach (var a in args)
            {
                var v = a(scope);
                if (!v.IsNull)
                {
                    return v;
                }
            }

            return Value.Null;
        },
        _ => throw new QueryException(call.Position, $"unknown function {name}"),
    };

    private static Compiled Numeric(Compiled arg, Func<double, double> f) => scope =>
    {
        var v = arg(scope);
        return v.Kind switch
        {
            ValueKind.Whole => v,
            ValueKind.Real => WholeIfExact(f(v.AsDouble)),
            _ => Value.Null,
        };
    };

    private static Compiled Text(Compiled arg, Func<string, string> f) => scope =>
    {
        var v = arg(scope);
        return v.Kind == ValueKind.Text ? Value.From(f(v.AsText)) : Value.Null;
    };

    private static Value WholeIfExact(double d) => d is >= -9.2e18 and <= 9.2e18 && d == Math.Floor(d) ? Value.From((long)d) : Value.From(d);
}
