namespace Efflux.Processing.Engine;

/// <summary>
/// + - * / % on values: NULL or a non-number gives NULL; whole op whole stays whole (overflow moves to a float), except
/// <c>/</c>, which always gives a float; division or remainder by zero gives NULL. The function of an operator is chosen
/// once, when an expression is compiled.
/// </summary>
public static class Arithmetic
{
    /// <summary>One operator; the compiler specialises its closures per operator, so applying one is a direct call.</summary>
    public interface IOperator
    {
        /// <summary>Applies the operator.</summary>
        static abstract Value Apply(Value a, Value b);
    }

    /// <summary>+</summary>
    public readonly struct Plus : IOperator
    {
        /// <inheritdoc />
        public static Value Apply(Value a, Value b) => Add(a, b);
    }

    /// <summary>-</summary>
    public readonly struct Minus : IOperator
    {
        /// <inheritdoc />
        public static Value Apply(Value a, Value b) => Subtract(a, b);
    }

    /// <summary>*</summary>
    public readonly struct Times : IOperator
    {
        /// <inheritdoc />
        public static Value Apply(Value a, Value b) => Multiply(a, b);
    }

    /// <summary>/</summary>
    public readonly struct Over : IOperator
    {
        /// <inheritdoc />
        public static Value Apply(Value a, Value b) => Divide(a, b);
    }

    /// <summary>%</summary>
    public readonly struct Modulo : IOperator
    {
        /// <inheritdoc />
        public static Value Apply(Value a, Value b) => Remainder(a, b);
    }

    private static Value Add(Value a, Value b)
    {
        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            var sum = unchecked(a.AsLong + b.AsLong);
            if (((a.AsLong ^ sum) & (b.AsLong ^ sum)) >= 0)
            {
                return Value.From(sum);
            }
        }

        return a.IsNumber && b.IsNumber ? Value.From(a.AsDouble + b.AsDouble) : Value.Null;
    }

    private static Value Subtract(Value a, Value b)
    {
        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            var difference = unchecked(a.AsLong - b.AsLong);
            if (((a.AsLong ^ b.AsLong) & (a.AsLong ^ difference)) >= 0)
            {
                return Value.From(difference);
            }
        }

        return a.IsNumber && b.IsNumber ? Value.From(a.AsDouble - b.AsDouble) : Value.Null;
    }

    private static Value Multiply(Value a, Value b)
    {
        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            var high = Math.BigMul(a.AsLong, b.AsLong, out var low);
            if ((high == 0 && low >= 0) || (high == -1 && low < 0))
            {
                return Value.From(low);
            }
        }

        return a.IsNumber && b.IsNumber ? Value.From(a.AsDouble * b.AsDouble) : Value.Null;
    }

    private static Value Divide(Value a, Value b)
        => !a.IsNumber || !b.IsNumber || b.AsDouble == 0 ? Value.Null : Value.From(a.AsDouble / b.AsDouble);

    private static Value Remainder(Value a, Value b)
    {
        if (!a.IsNumber || !b.IsNumber || b.AsDouble == 0)
        {
            return Value.Null;
        }

        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            return Value.From(b.AsLong == -1 ? 0 : a.AsLong % b.AsLong);
        }

        return Value.From(a.AsDouble % b.AsDouble);
    }
}
