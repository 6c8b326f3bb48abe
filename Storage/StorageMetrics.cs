using System.Diagnostics.Metrics;

namespace Efflux.Storage;

/// <summary>
/// The storage engine's instruments, on the <c>Efflux</c> meter (OpenTelemetry and <c>dotnet-counters</c> read them):
/// records and bytes appended, and how long each fdatasync of a partition's active file takes. Rates (appends/s,
/// bytes/s) are what a metrics backend derives from the counters.
/// </summary>
public static class StorageMetrics
{
    /// <summary>The meter every Efflux instrument is on.</summary>
    public const string MeterName = "Efflux";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Records = Meter.CreateCounter<long>(
        "efflux.storage.appended.records", "{record}", "Records written to partition logs (duplicates by id are not written)");

    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>(
        "efflux.storage.appended.bytes", "By", "Bytes written to partition logs, framing and metadata included");

    private static readonly Histogram<double> Fsync = Meter.CreateHistogram<double>(
        "efflux.storage.fsync.duration", "s", "Time one fdatasync of a partition's active segment file takes");

    internal static void Appended(long records, long bytes)
    {
        if (records > 0)
        {
            Records.Add(records);
            Bytes.Add(bytes);
        }
    }

    internal static void Synced(TimeSpan duration) => Fsync.Record(duration.TotalSeconds);
}
