using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Efflux.Storage.Integrity;

namespace Efflux.Cli;

/// <summary><c>efflux verify</c>: re-hashes every partition under a directory, offline.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A data directory or one partition directory; with --server, namespace/topic" };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A signed checkpoint file to verify the partition against" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var server = new Option<string?>("--server", "-s")
        {
            Description = "Verify a topic on a running silo (gateway host:port, default the local silo) and re-check what it reads here",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("verify", "Verify the hash chain of every partition (exit 0 when all verify, 1 otherwise)") { path, checkpoint, json, server };
        command.SetAction((parse, ct) => parse.GetResult(server) is null
            ? Task.FromResult(Run(parse.GetValue(path)!, parse.GetValue(checkpoint), parse.GetValue(json)))
            : Online.InspectCommands.VerifyOnlineAsync(parse.GetValue(server) ?? Efflux.Client.EffluxClientOptions.LocalGateway, parse.GetValue(path)!, parse.GetValue(json), ct));
        return command;
    }

    private static int Run(string path, FileInfo? checkpointFile, bool json)
    {
        IReadOnlyList<string> partitions;
        SignedCheckpoint? checkpoint = null;
        try
        {
            partitions = LogVerifier.FindPartitions(path);
            if (checkpointFile is not null)
            {
                checkpoint = SignedCheckpoint.Parse(File.ReadAllText(checkpointFile.FullName));
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"efflux verify: {ex.Message}");
            return 2;
        }

        if (partitions.Count == 0)
        {
            Console.Error.WriteLine($"efflux verify: no partitions (segment files) under '{path}'.");
            return 1;
        }

        var reports = new List<VerificationReport>();
        foreach (var dir in partitions)
        {
            try
            {
                var applies = checkpoint is not null && dir.EndsWith($"{checkpoint.Namespace}{Path.DirectorySeparatorChar}{checkpoint.Topic}{Path.DirectorySeparatorChar}{checkpoint.Partition}", StringComparison.Ordinal);
                reports.Add(LogVerifier.VerifyPartition(dir, applies ? checkpoint : null));
            }
            catch (ArgumentException ex)
            {
                reports.Add(new VerificationReport(Path.GetRelativePath(path, dir), 0, false, null, ex.Message, 0, 0, 0, []));
            }
        }

        if (checkpoint is not null && !reports.Any(r => r.Path == $"{checkpoint.Namespace}/{checkpoint.Topic}/{checkpoint.Partition}"))
        {
            reports.Add(new VerificationReport($"{checkpoint.Namespace}/{checkpoint.Topic}/{checkpoint.Partition}", 0, false, checkpoint.Offset, "the checkpoint's partition has no segment files here", 0, 0, 0, []));
        }

        if (json)
        {
            WriteJson(reports);
        }
        else
        {
            WriteTable(reports);
        }

        return reports.All(r => r.Ok) ? 0 : 1;
    }

    private static void WriteJson(List<VerificationReport> reports)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout))
        {
            w.WriteStartObject();
            w.WriteStartArray("partitions");
            foreach (var r in reports)
            {
                w.WriteStartObject();
                w.WriteString("path", r.Path);
                w.WriteNumber("records", r.Records);
                w.WriteBoolean("ok", r.Ok);
                if (r.FirstBadOffset is { } bad)
                {
                    w.WriteNumber("firstBadOffset", bad);
                }
                else
                {
                    w.WriteNull("firstBadOffset");
                }

                w.WriteString("reason", r.Reason);
                w.WriteNumber("tornTailBytes", r.TornTailBytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }

    private static void WriteTable(List<VerificationReport> reports)
    {
        var width = Math.Max(9, reports.Max(r => r.Path.Length));
        Console.WriteLine($"{"partition".PadRight(width)}  {"records",12}  {"status",-6}  detail");
        foreach (var r in reports)
        {
            var detail = r.Ok
                ? (r.TornTailBytes > 0 ? $"torn tail of {r.TornTailBytes} bytes (recovery cuts it)" : string.Empty)
                : $"first bad offset {r.FirstBadOffset?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {r.Reason}";
            Console.WriteLine($"{r.Path.PadRight(width)}  {r.Records,12}  {(r.Ok ? "ok" : "FAILED"),-6}  {detail}");
        }
    }
}
