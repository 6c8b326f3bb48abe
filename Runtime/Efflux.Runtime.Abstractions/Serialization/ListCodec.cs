namespace Efflux.Runtime.Serialization;

/// <summary>A list (null allowed): a varint of count + 1, then the elements with their own codec.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ListCodec<T> : IWireCodec<List<T>?>
{
    /// <inheritdoc />
    public void Write(WireWriter writer, List<T>? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteVarUInt64(0);
            return;
        }

        writer.WriteVarUInt64((ulong)value.Count + 1);
        foreach (var item in value)
        {
            WireCodec<T>.Write(writer, item);
        }
    }

    /// <inheritdoc />
    public List<T>? Read(ref WireReader reader)
    {
        var count = reader.ReadLength();
        if (count < 0)
        {
            return null;
        }

        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(WireCodec<T>.Read(ref reader));
        }

        return list;
    }
}
