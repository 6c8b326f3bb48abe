namespace Efflux.Processing.Engine;

/// <summary>The sink behind the callback overloads of <see cref="QueryEngine"/>: each row becomes an <see cref="OutputRow"/>.</summary>
internal sealed class RowCollector : IRowSink
{
    public Action<OutputRow> Target { get; set; } = static _ => { };

    public void OnRow(in RowView row) => Target(row.ToOutputRow());
}
