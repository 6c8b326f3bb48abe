using System.CommandLine;
using System.Text;
using System.Text.Json;
using Efflux.Client;
using Efflux.Storage;
using Efflux.Storage.Integrity;

namespace Efflux.Cli;

/// <summary><c>efflux dump</c>: prints records of a partition directory, offline.</summary>
internal static class DumpCommand
{
    private const int PreviewBytes = 64;

    public static Command Create()
    {
        var path = new Argument<string>("partition-dir") { Description = "A partition directory (…/namespace/topic/partition)" };
        var from = new Option<long>("--from") { Description = "First offset to print", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Most records to print", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line" };
        var command = new Command("dump", "Print metadata and a payload preview of each record") { path, from, count, json };
        command.SetAction(parse => Run(parse.GetValue(path)!, parse.GetValue(from), parse.GetValue(count), parse.GetValue(json)));
        return command;
    }

    private static int Run(string path, long from, int count, bool json)
    {
        if (!Directory.Exists(path) || PartitionLog.ListSegments(Path.GetFullPath(path)).Count == 0)
        {
            Console.Error.WriteLine($"efflux dump: '{path}' is not a partition directory with segment files.");
            return 2;
        }

        if (from < 0 || count < 1)
        {
            Console.Error.WriteLine("efflux dump: --from must be 0 or more and --count 1 or more.");
            return 2;
        }

        // The directory of a partition is named by its number (…/namespace/topic/partition).
        var partition = int.TryParse(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))), out var number) ? number : 0;
        using var stdout = Console.OpenStandardOutput();
        foreach (var record in OfflineLog.Read(path, from, count))
        {
            try
            {
                if (json)
                {
                    WriteJson(stdout, partition, record);
                }
                else
                {
                    WriteText(record);
                }
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"efflux dump: offset {record.Offset}: {ex.Message}");
                return 1;
            }
        }

        return 0;
    }

    private static void WriteJson(Stream stdout, int partition, StoredRecord record)
    {
        using (var w = new Utf8JsonWriter(stdout))
        {
            w.WriteStartObject();
            MessageJson.WriteFields(w, EffluxMessage.From(partition, record.Offset, record.Raw));
            w.WriteNumber("payloadBytes", record.Payload.Length);
            w.WriteString("payloadPreview", Preview(record.Payload.Span));
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }

    private static void WriteText(StoredRecord record)
    {
        var m = record.Metadata;
        var sb = new StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"#{record.Offset} id={m.Id} time={m.Timestamp:O} bytes={record.Payload.Length}");
        Append(sb, "type", m.DataType);
        Append(sb, "content", m.ContentType);
        Append(sb, "encoding", m.ContentEncoding);
        Append(sb, "group", m.MessageGroup);
        foreach (var (k, v) in m.Properties ?? new Dictionary<string, string>())
        {
            Append(sb, k, v);
        }

        Console.WriteLine(sb.ToString());
        Console.WriteLine($"    fingerprint {Convert.ToBase64String(record.Fingerprint.Span)}  linked {Convert.ToBase64String(m.LinkedFingerprint)}");
        Console.WriteLine($"    {Preview(record.Payload.Span)}");
    }

    private static void Append(StringBuilder sb, string name, string? value)
    {
        if (value is not null)
        {
            sb.Append(' ').Append(name).Append('=').Append(value);
        }
    }

    /// <summary>Printable UTF-8 as text, anything else as hex; at most 64 bytes.</summary>
    private static string Preview(ReadOnlySpan<byte> payload)
    {
        var head = payload[..Math.Min(PreviewBytes, payload.Length)];
        var more = payload.Length > head.Length ? "…" : string.Empty;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(head);
            if (!text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                return text.ReplaceLineEndings(" ") + more;
            }
        }
        catch (DecoderFallbackException)
        {
            // Cut mid-character or binary: fall through to hex.
        }

        return "0x" + Convert.ToHexString(head) + more;
    }
}
