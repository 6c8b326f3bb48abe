using System.Text.Json;

namespace Efflux.Processing.Engine;

/// <summary>A row while it is being emitted: the output it goes to, column names and values in select-list order, and its event time.</summary>
public readonly ref struct RowView
{
    /// <summary>Creates a view over the emitting operator's buffers.</summary>
    public RowView(string output, ReadOnlySpan<string> names, ReadOnlySpan<Value> values, long time)
    {
        if (names.Length != values.Length)
        {
            throw new ArgumentException("A row needs one value per column name.", nameof(values));
        }

        Output = output;
        Names = names;
        Values = values;
        Time = time;
    }

    /// <summary>The output name.</summary>
    public string Output { get; }

    /// <summary>Column names.</summary>
    public ReadOnlySpan<string> Names { get; }

    /// <summary>Column values, one per name.</summary>
    public ReadOnlySpan<Value> Values { get; }

    /// <summary>Event time (epoch ms) that produced the row.</summary>
    public long Time { get; }

    /// <summary>A copy that outlives the call.</summary>
    public OutputRow ToOutputRow()
    {
        var columns = new KeyValuePair<string, Value>[Names.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new(Names[i], Values[i]);
        }

        return new OutputRow(Output, columns, Time);
    }

    /// <summary>Writes the row as a JSON object, as <see cref="OutputRow.WriteJson"/> does.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        for (var i = 0; i < Names.Length; i++)
        {
            writer.WritePropertyName(Names[i]);
            OutputRow.WriteValue(writer, Values[i]);
        }

        writer.WriteEndObject();
    }
}
