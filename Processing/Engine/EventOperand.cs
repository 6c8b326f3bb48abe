using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine;

/// <summary>
/// An expression evaluated against one event on a hot path (a GROUP BY column, an aggregate's argument): a bare
/// attribute, the common case, is read by position with no delegate call; anything else runs its compiled form.
/// </summary>
internal sealed class EventOperand
{
    private readonly AttributeRef? _attribute;
    private readonly Compiled? _expression;
    private readonly EventScope _scope = new();

    public EventOperand(Expr expression)
    {
        if (expression is AttributeExpr attribute)
        {
            _attribute = new AttributeRef(attribute.Name);
            Key = (attribute.Qualifier ?? string.Empty) + "\0" + attribute.Name;
        }
        else
        {
            _expression = ExpressionCompiler.Compile(expression);
        }
    }

    /// <summary>Equal for two operands that always give the same value (bare attributes of one name); null when unknown.</summary>
    public string? Key { get; }

    /// <summary>The operand's value for <paramref name="e"/>.</summary>
    public Value Of(Event e)
    {
        if (_attribute is not null)
        {
            return _attribute.Read(e);
        }

        _scope.Event = e;
        return _expression!(_scope);
    }
}
