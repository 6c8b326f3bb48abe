using System.Text.Json;

namespace Efflux.Storage.Log;

/// <summary>
/// <c>retention.json</c>: written (durably, before any file is deleted) when retention removes the oldest segments.
/// It records the new first offset and the LinkedFingerprint its record must carry, so the remaining chain verifies
/// from its first record and a removal that retention did not make is detected.
/// </summary>
internal sealed record RetentionMarker(long StartOffset, byte[] LinkedFingerprint)
{
    public const string FileName = "retention.json";

    public static RetentionMarker? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        return new RetentionMarker(root.GetProperty("startOffset").GetInt64(), Convert.FromBase64String(root.GetProperty("linkedFingerprint").GetString()!));
    }

    public void Write(string directory, Efflux.Storage.IO.IStorageFileSystem fs)
    {
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("startOffset", StartOffset);
            writer.WriteString("linkedFingerprint", Convert.ToBase64String(LinkedFingerprint));
            writer.WriteEndObject();
        }

        var json = buffer.ToArray();
        using (var file = fs.OpenLog(temp))
        {
            file.Truncate(0);
            file.Write(json, 0);
            file.Flush();
        }

        File.Move(temp, path, overwrite: true);
        fs.SyncDirectory(directory);
    }
}
