namespace Efflux.Processing.Engine.State;

/// <summary>Reads what <see cref="StateWriter"/> wrote.</summary>
public sealed class StateReader(Stream stream) : IDisposable
{
    private readonly BinaryReader _reader = new(stream, System.Text.Encoding.UTF8, leaveOpen: true);

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadLong() => _reader.ReadInt64();

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt() => _reader.ReadInt32();

    /// <summary>Reads a float.</summary>
    public double ReadDouble() => _reader.ReadDouble();

    /// <summary>Reads a boolean.</summary>
    public bool ReadBool() => _reader.ReadBoolean();

    /// <summary>Reads a string.</summary>
    public string ReadString() => _reader.ReadString();

    /// <summary>Reads a value.</summary>
    public Value ReadValue() => (ValueKind)_reader.ReadByte() switch
    {
        ValueKind.Null => Value.Null,
        ValueKind.Whole => Value.From(_reader.ReadInt64()),
        ValueKind.Real => Value.From(_reader.ReadDouble()),
        ValueKind.Text => Value.From(_reader.ReadString()),
        ValueKind.Bool => Value.From(_reader.ReadBoolean()),
        var k => throw new InvalidDataException($"Unknown value kind {k} in a state snapshot."),
    };

    /// <summary>Reads an event.</summary>
    public Event ReadEvent()
    {
        var time = _reader.ReadInt64();
        var sequence = _reader.ReadInt64();
        var count = _reader.ReadInt32();
        var attributes = new List<KeyValuePair<string, Value>>(count);
        for (var i = 0; i < count; i++)
        {
            attributes.Add(new(_reader.ReadString(), ReadValue()));
        }

        return new Event(attributes, time, sequence);
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
