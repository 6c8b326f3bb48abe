using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// LENGTHBATCH(n): consecutive blocks of n events (after WHERE). A full block emits one row per group; at end of input a
/// partial block emits too. window_start and window_end are the first and last event times of the block.
/// </summary>
public sealed class LengthBatchOperator : IStatementOperator
{
    private readonly WindowedStatement _statement;
    private readonly GroupTable? _table;
    private WindowGroups? _block;
    private long _count;

    /// <summary>Compiles the statement.</summary>
    public LengthBatchOperator(Statement statement)
    {
        _statement = new WindowedStatement(statement);
        _table = _statement.Plan is { } plan ? new GroupTable(plan) : null;
    }

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_statement.Projection is { } projection)
        {
            projection.OnEvent(e, sink);
            return;
        }

        if (!_statement.Passes(e))
        {
            return;
        }

        _block ??= _table!.RentWindow();
        _block.Add(e);
        if (++_count == _statement.Window.Count)
        {
            Close(sink);
        }
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink) => Close(sink);

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_table is null)
        {
            return;
        }

        _table.Save(writer);
        writer.Write(_count);
        writer.Write(_block is not null);
        _block?.Save(writer);
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_table is null)
        {
            return;
        }

        _table.Load(reader);
        _count = reader.ReadLong();
        if (_block is not null)
        {
            _table.Return(_block);
        }

        _block = reader.ReadBool() ? WindowGroups.Load(reader, _table) : null;
    }

    private void Close(IRowSink sink)
    {
        if (_block is { Count: > 0 } block)
        {
            block.Emit(_statement.Output, block.FirstTime, block.LastTime, sink);
        }

        if (_block is not null)
        {
            _table!.Return(_block);
        }

        _block = null;
        _count = 0;
    }
}
