namespace Efflux.Runtime.Serialization;

/// <summary>An array (null allowed), encoded as a list.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ArrayCodec<T> : IWireCodec<T[]?>
{
    private static readonly ListCodec<T> List = new();

    /// <inheritdoc />
    public void Write(WireWriter writer, T[]? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteVarUInt64(0);
            return;
        }

        writer.WriteVarUInt64((ulong)value.Length + 1);
        foreach (var item in value)
        {
            WireCodec<T>.Write(writer, item);
        }
    }

    /// <inheritdoc />
    public T[]? Read(ref WireReader reader) => List.Read(ref reader)?.ToArray();
}
