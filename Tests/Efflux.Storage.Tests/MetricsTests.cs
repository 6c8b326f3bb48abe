using System.Diagnostics.Metrics;

namespace Efflux.Storage.Tests;

/// <summary>The engine's instruments on the Efflux meter report what it writes and how long its fdatasyncs take.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task DurableAppends_AreCountedInRecordsAndBytes_AndEachFdatasyncIsTimed()
    {
        long records = 0;
        long bytes = 0;
        var syncs = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StorageMetrics.MeterName && instrument.Name.StartsWith("efflux.storage.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "efflux.storage.appended.records")
            {
                Interlocked.Add(ref records, value);
            }
            else if (instrument.Name == "efflux.storage.appended.bytes")
            {
                Interlocked.Add(ref bytes, value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (syncs)
            {
                syncs.Add(value);
            }
        });
        listener.Start();

        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        await log.AppendBatchAsync([Logs.Text("one"), Logs.Text("two"), Logs.Text("three")], Durability.Durable);
        // The log's bytes, not the file's: the file also holds the zeros written ahead of the last record.
        var fileBytes = log.TotalBytes;

        // Other tests may append in parallel on the same (process-wide) meter: at least ours are counted (by the writer,
        // just after it acknowledged them).
        await Eventually.WaitUntil(() => Interlocked.Read(ref records) >= 3 && Interlocked.Read(ref bytes) >= fileBytes);

        // A durable append is acknowledged as soon as its fdatasync returns; the sync is timed just after.
        await Eventually.WaitUntil(() =>
        {
            lock (syncs)
            {
                return syncs.Count > 0;
            }
        });
        lock (syncs)
        {
            Assert.All(syncs, s => Assert.InRange(s, 0, 60));
        }
    }
}
