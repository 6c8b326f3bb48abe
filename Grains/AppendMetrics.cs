using System.Diagnostics.Metrics;
using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>
/// How long the silo takes to acknowledge an append: the histogram <c>efflux.append.duration</c> on the <c>Efflux</c>
/// meter, one point per append call that succeeded, from the partition receiving it to its acknowledgement (with
/// durable acks, after the fdatasync), tagged <c>efflux.acks</c>. The network and the client are not in it: set beside
/// the latency a producer observes, it says which side a slow acknowledgement came from.
/// </summary>
internal sealed class AppendMetrics : IDisposable
{
    private static readonly KeyValuePair<string, object?> Durable = new("efflux.acks", "durable");
    private static readonly KeyValuePair<string, object?> Leader = new("efflux.acks", "leader");
    private static readonly KeyValuePair<string, object?> None = new("efflux.acks", "none");

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;

    public AppendMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(StorageMetrics.MeterName);
        _duration = _meter.CreateHistogram<double>("efflux.append.duration", "s", "Time from a partition receiving an append call to its acknowledgement");
    }

    /// <summary>An append call acknowledged <paramref name="elapsed"/> after it arrived.</summary>
    public void Acknowledged(Acks acks, TimeSpan elapsed)
    {
        if (_duration.Enabled)
        {
            _duration.Record(elapsed.TotalSeconds, acks switch { Acks.Leader => Leader, Acks.None => None, _ => Durable });
        }
    }

    public void Dispose() => _meter.Dispose();
}
