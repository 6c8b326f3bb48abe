using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>
/// Consumer lag as a metric: the gauge <c>efflux.group.lag</c> on the <c>Efflux</c> meter, one point per group and
/// partition (tags <c>efflux.namespace</c>, <c>efflux.topic</c>, <c>efflux.group</c>, <c>efflux.partition</c>), as of
/// the group's last commit or description on this silo.
/// </summary>
internal sealed class GroupLagMetrics : IDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Topic, string Group, int Partition), long> _lag = new();
    private readonly Meter _meter;

    public GroupLagMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(StorageMetrics.MeterName);
        _meter.CreateObservableGauge("efflux.group.lag", Observe, "{record}", "Records appended to a partition that a consumer group has not committed");
    }

    public void Report(string ns, string topic, string group, int partition, long lag) => _lag[(ns, topic, group, partition)] = lag;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe()
        => _lag.Select(e => new Measurement<long>(e.Value,
            new KeyValuePair<string, object?>("efflux.namespace", e.Key.Namespace),
            new KeyValuePair<string, object?>("efflux.topic", e.Key.Topic),
            new KeyValuePair<string, object?>("efflux.group", e.Key.Group),
            new KeyValuePair<string, object?>("efflux.partition", e.Key.Partition)));
}
