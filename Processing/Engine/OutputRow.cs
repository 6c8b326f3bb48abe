using System.Text.Json;

namespace Efflux.Processing.Engine;

/// <summary>One emitted row: the output it goes to, its columns in select-list order, and the event time that produced it.</summary>
/// <param name="Output">The output name.</param>
/// <param name="Columns">Name and value per select-list item.</param>
/// <param name="Time">Event time (epoch ms) that produced the row.</param>
public sealed record OutputRow(string Output, IReadOnlyList<KeyValuePair<string, Value>> Columns, long Time)
{
    /// <summary>Writer options for rows: minimal escaping, so text stays readable (quotes as \", non-ASCII as is).</summary>
    public static JsonWriterOptions JsonOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the row as a JSON object.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (name, value) in Columns)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one value as JSON.</summary>
    public static void WriteValue(Utf8JsonWriter writer, Value value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case ValueKind.Whole:
                writer.WriteNumberValue(value.AsLong);
                break;
            case ValueKind.Real:
                writer.WriteNumberValue(value.AsDouble);
                break;
            case ValueKind.Text:
                writer.WriteStringValue(value.AsText);
                break;
            case ValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
