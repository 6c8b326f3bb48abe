using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Efflux;

/// <summary>Reading the fields of a tag-delimited value, for the hand-written codecs.</summary>
internal static class TaggedFields
{
    /// <summary>Reads field <paramref name="id"/> (whose header is <paramref name="field"/>) into <paramref name="target"/>; returns false for a field it does not know.</summary>
    public delegate bool Reader<TInput, in T>(ref Reader<TInput> reader, Field field, uint id, T target);

    /// <summary>
    /// Reads the value when <paramref name="field"/> is a reference to one read before (or null); otherwise checks that
    /// a tag-delimited value follows.
    /// </summary>
    public static bool TryReadReference<TInput, T>(ref Reader<TInput> reader, Field field, out T? value)
        where T : class
    {
        if (field.WireType == WireType.Reference)
        {
            value = ReferenceCodec.ReadReference<T, TInput>(ref reader, field);
            return true;
        }

        field.EnsureWireTypeTagDelimited();
        value = null;
        return false;
    }

    /// <summary>Hands every field up to the end of the value to <paramref name="read"/>, skipping those it does not know.</summary>
    public static void ReadAll<TInput, T>(ref Reader<TInput> reader, T target, Reader<TInput, T> read)
    {
        uint id = 0;
        while (true)
        {
            var header = reader.ReadFieldHeader();
            if (header.IsEndBaseOrEndObject)
            {
                return;
            }

            id += header.FieldIdDelta;
            if (!read(ref reader, header, id, target))
            {
                reader.ConsumeUnknownField(header);
            }
        }
    }
}
