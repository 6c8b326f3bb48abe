namespace Efflux.Runtime.Serialization;

/// <summary>A dictionary (null allowed): a varint of count + 1, then key and value pairs. Read back with ordinal keys for strings.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class DictionaryCodec<TKey, TValue> : IWireCodec<Dictionary<TKey, TValue>?>
    where TKey : notnull
{
    /// <inheritdoc />
    public void Write(WireWriter writer, Dictionary<TKey, TValue>? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteVarUInt64(0);
            return;
        }

        writer.WriteVarUInt64((ulong)value.Count + 1);
        foreach (var (key, item) in value)
        {
            WireCodec<TKey>.Write(writer, key);
            WireCodec<TValue>.Write(writer, item);
        }
    }

    /// <inheritdoc />
    public Dictionary<TKey, TValue>? Read(ref WireReader reader)
    {
        var count = reader.ReadLength();
        if (count < 0)
        {
            return null;
        }

        var dictionary = new Dictionary<TKey, TValue>(count);
        for (var i = 0; i < count; i++)
        {
            var key = WireCodec<TKey>.Read(ref reader) ?? throw new WireFormatException("Invalid wire data: a null dictionary key.");
            if (!dictionary.TryAdd(key, WireCodec<TValue>.Read(ref reader)))
            {
                throw new WireFormatException($"Invalid wire data: duplicate dictionary key {key}.");
            }
        }

        return dictionary;
    }
}
