namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>
/// What an emitted aggregate row is evaluated against: the group's first event in the window (grouped attributes are
/// equal across the group), the aggregate results, and the window bounds.
/// </summary>
public sealed class GroupScope : IScope
{
    /// <summary>The group's first event in the window.</summary>
    public Event? Representative { get; set; }

    /// <summary>The aggregate results, by aggregate index.</summary>
    public Value[] Results { get; set; } = [];

    /// <summary>window_start, epoch ms.</summary>
    public long WindowStart { get; set; }

    /// <summary>window_end, epoch ms.</summary>
    public long WindowEnd { get; set; }

    /// <inheritdoc />
    public Value Resolve(string? qualifier, AttributeRef attribute) => (qualifier, attribute.Bound) switch
    {
        (null, WindowBound.Start) => Value.From(WindowStart),
        (null, WindowBound.End) => Value.From(WindowEnd),
        _ => attribute.Read(Representative),
    };
}
