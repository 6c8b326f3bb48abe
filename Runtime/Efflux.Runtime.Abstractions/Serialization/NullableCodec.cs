namespace Efflux.Runtime.Serialization;

/// <summary>A nullable value: a presence byte, then the value.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class NullableCodec<T> : IWireCodec<T?>
    where T : struct
{
    /// <inheritdoc />
    public void Write(WireWriter writer, T? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBool(value.HasValue);
        if (value is { } v)
        {
            WireCodec<T>.Write(writer, v);
        }
    }

    /// <inheritdoc />
    public T? Read(ref WireReader reader) => reader.ReadBool() ? WireCodec<T>.Read(ref reader) : null;
}
