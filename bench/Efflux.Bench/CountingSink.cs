using Efflux.Processing.Engine;

namespace Efflux.Bench;

/// <summary>Counts rows as a streaming consumer sees them: straight from the operator, with no row object.</summary>
internal sealed class CountingSink(Action count) : IRowSink
{
    public void OnRow(in RowView row) => count();
}
