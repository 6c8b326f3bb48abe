using System.Buffers;
using System.Text;
using System.Text.Json;
using Efflux.Grains.Queries;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Testing;

/// <summary>What a live query must write: the offline engine over the same records, taken as a live query takes them.</summary>
public static class OfflineQuery
{
    /// <summary>
    /// The rows (output name and JSON) of <paramref name="text"/> (a query named <paramref name="name"/>) over the records of <paramref name="topics"/> (in the query's source
    /// order), without the end-of-input flush. The records are taken as a live query takes them when no source is idle:
    /// each partition in offset order, merged by the time of each partition's next record (ties to the earlier topic,
    /// then partition).
    /// </summary>
    public static List<(string Output, string Json)> Rows(string text, string name, IReadOnlyList<string> topics, IEnumerable<(string Topic, EffluxMessage Message)> records)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var sources = records.Where(r => topics.Contains(r.Topic))
            .GroupBy(r => (Topic: topics.ToList().IndexOf(r.Topic), r.Message.Partition))
            .OrderBy(g => g.Key.Topic).ThenBy(g => g.Key.Partition)
            .Select(g => new Queue<(string Topic, EffluxMessage Message)>(g.OrderBy(r => r.Message.Offset)))
            .ToList();
        var ordered = new List<(string Topic, EffluxMessage Message)>();
        while (sources.Where(q => q.Count > 0).OrderBy(q => q.Peek().Message.Timestamp).FirstOrDefault() is { } next)
        {
            ordered.Add(next.Dequeue());
        }

        var engine = new QueryEngine(Analyzer.ParseAndCheck(text, name));
        var rows = new List<(string, string)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            engine.Push(QueryEvents.From(ordered[i].Message, ordered[i].Topic, i), row =>
            {
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, OutputRow.JsonOptions))
                {
                    row.WriteJson(writer);
                }

                rows.Add((row.Output, Encoding.UTF8.GetString(buffer.WrittenSpan)));
            });
        }

        return rows;
    }
}
