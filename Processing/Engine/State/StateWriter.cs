namespace Efflux.Processing.Engine.State;

/// <summary>Writes operator state: values, events and the primitives around them. Little-endian, length-prefixed strings.</summary>
public sealed class StateWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _writer = new(stream, System.Text.Encoding.UTF8, leaveOpen: true);

    /// <summary>Writes a 64-bit integer.</summary>
    public void Write(long value) => _writer.Write(value);

    /// <summary>Writes a 32-bit integer.</summary>
    public void Write(int value) => _writer.Write(value);

    /// <summary>Writes a float.</summary>
    public void Write(double value) => _writer.Write(value);

    /// <summary>Writes a boolean.</summary>
    public void Write(bool value) => _writer.Write(value);

    /// <summary>Writes a string.</summary>
    public void Write(string value) => _writer.Write(value);

    /// <summary>Writes a value: its kind, then its payload.</summary>
    public void Write(Value value)
    {
        _writer.Write((byte)value.Kind);
        switch (value.Kind)
        {
            case ValueKind.Whole:
                _writer.Write(value.AsLong);
                break;
            case ValueKind.Real:
                _writer.Write(value.AsDouble);
                break;
            case ValueKind.Text:
                _writer.Write(value.AsText);
                break;
            case ValueKind.Bool:
                _writer.Write(value.AsBool);
                break;
        }
    }

    /// <summary>Writes an event: time, sequence and attributes in order.</summary>
    public void Write(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _writer.Write(e.Time);
        _writer.Write(e.Sequence);
        _writer.Write(e.Attributes.Count);
        foreach (var (name, value) in e.Attributes)
        {
            _writer.Write(name);
            Write(value);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
