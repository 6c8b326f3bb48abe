namespace Efflux.Processing.Engine;

/// <summary>
/// Receives the rows a query emits, without a row object per row: the <see cref="RowView"/> it is handed lives only for
/// the call (its values sit in the operator's scratch space), so a sink that keeps a row calls
/// <see cref="RowView.ToOutputRow"/>. A sink must not push events into the engine that called it.
/// </summary>
public interface IRowSink
{
    /// <summary>One emitted row.</summary>
    void OnRow(in RowView row);
}
