namespace Efflux.Processing.Runtime;

/// <summary>
/// + - * / % on values: NULL or a non-number gives NULL; whole op whole stays whole (overflow moves to a float), except
/// <c>/</c>, which always gives a float; division or remainder by zero gives NULL.
/// </summary>
public static class Arithmetic
{
    /// <summary>Applies <paramref name="op"/>.</summary>
    public static Value Apply(string op, Value a, Value b)
    {
        if (!a.IsNumber || !b.IsNumber)
        {
            return Value.Null;
        }

        if (op == "/")
        {
            return b.AsDouble == 0 ? Value.Null : Value.From(a.AsDouble / b.AsDouble);
        }

        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            var (x, y) = (a.AsLong, b.AsLong);
            try
            {
                return op switch
                {
                    "+" => Value.From(checked(x + y)),
                    "-" => Value.From(checked(x - y)),
                    "*" => Value.From(checked(x * y)),
                    "%" => y == 0 ? Value.Null : Value.From(y == -1 ? 0 : x % y),
                    _ => Value.Null,
                };
            }
            catch (OverflowException)
            {
                return Real(op, x, y);
            }
        }

        return Real(op, a.AsDouble, b.AsDouble);
    }

    private static Value Real(string op, double x, double y) => op switch
    {
        "+" => Value.From(x + y),
        "-" => Value.From(x - y),
        "*" => Value.From(x * y),
        "%" => y == 0 ? Value.Null : Value.From(x % y),
        _ => Value.Null,
    };
}
