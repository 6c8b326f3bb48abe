using System.Text;

namespace Efflux.Storage.Tests;

/// <summary>A fresh directory under the system temp folder, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "efflux-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Partition(string ns = "ns", string topic = "topic", int partition = 0) => System.IO.Path.Combine(Path, ns, topic, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold a file for a moment; the temp folder is cleaned by the OS later.
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class Logs
{
    /// <summary>The pieces of a raw read joined into one array.</summary>
    public static byte[] Joined(RawRecords raw) => [.. raw.Pieces.SelectMany(p => p.ToArray())];

    public static Task<PartitionLog> OpenAsync(TempDir dir, PartitionLogOptions? options = null, string ns = "ns", string topic = "topic", int partition = 0)
        => PartitionLog.OpenAsync(dir.Path, ns, topic, partition, options);

    public static AppendMessage Text(string text, string? id = null) => new(Encoding.UTF8.GetBytes(text)) { Id = id };

    public static async Task<List<AppendResult>> AppendManyAsync(PartitionLog log, int count, int payloadBytes = 100, string prefix = "m")
    {
        var results = new List<AppendResult>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await log.AppendAsync(new AppendMessage(Payload(i, payloadBytes)) { Id = $"{prefix}-{i}", DataType = i % 2 == 0 ? "even" : "odd" }));
        }

        return results;
    }

    public static byte[] Payload(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string[] SegmentFiles(TempDir dir, string ns = "ns", string topic = "topic", int partition = 0)
        => PartitionLog.ListSegments(dir.Partition(ns, topic, partition)).Select(s => s.Path).ToArray();
}
