namespace Efflux.Processing.Engine;

/// <summary>The running form of one statement. Called by one thread at a time, in input order.</summary>
public interface IStatementOperator
{
    /// <summary>Processes one input event, emitting any rows it produces.</summary>
    void OnEvent(Event e, IRowSink sink);

    /// <summary>Input ended: the watermark moves to +infinity.</summary>
    void OnEnd(IRowSink sink);

    /// <summary>Events dropped as late (below the watermark); 0 for operators without event-time windows.</summary>
    long Late => 0;

    /// <summary>Writes the operator's state (windows, groups, partial matches, watermark).</summary>
    void Save(State.StateWriter writer);

    /// <summary>Replaces the operator's state with one written by <see cref="Save"/> from an operator of the same statement.</summary>
    void Load(State.StateReader reader);
}
