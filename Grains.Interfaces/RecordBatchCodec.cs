using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Efflux.Grains;

/// <summary>
/// The wire form of <see cref="RecordBatch"/>, written by hand for the one thing a generated codec cannot do: a reader
/// receives megabytes of records per call, and Orleans' byte-array codec zero-fills every array it allocates before it
/// copies the received bytes over them (a tenth of a consuming client's time went to that). Here each piece is
/// allocated uninitialised and filled once.
/// </summary>
/// <remarks>
/// Fields by id: 0 partition, 1 a piece (length-prefixed; once per piece, in order), 2 next offset, 3 end offset, 4
/// start offset, 5 record count, 6 first offset. Unknown fields are skipped, so a later version may add some.
/// </remarks>
[RegisterSerializer]
public sealed class RecordBatchCodec : IFieldCodec<RecordBatch>
{
    /// <inheritdoc />
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, [AllowNull] Type expectedType, [AllowNull] RecordBatch value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(RecordBatch), WireType.TagDelimited);
        Int32Codec.WriteField(ref writer, 0, value.Partition);

        // One field 1 per piece (ids only grow: the first piece is 1 on from the partition's 0, the others 0 on).
        var delta = 1u;
        foreach (var piece in value.Pieces)
        {
            writer.WriteFieldHeaderExpected(delta, WireType.LengthPrefixed);
            writer.WriteVarUInt32((uint)piece.Length);
            writer.Write(piece);
            delta = 0;
        }

        Int64Codec.WriteField(ref writer, delta + 1, value.NextOffset);
        Int64Codec.WriteField(ref writer, 1, value.EndOffset);
        Int64Codec.WriteField(ref writer, 1, value.StartOffset);
        Int64Codec.WriteField(ref writer, 1, value.Count);
        Int64Codec.WriteField(ref writer, 1, value.FirstOffset);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    [return: MaybeNull]
    public RecordBatch ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (TaggedFields.TryReadReference(ref reader, field, out RecordBatch? earlier))
        {
            return earlier;
        }

        var placeholder = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        var batch = new RecordBatch();
        var pieces = new List<byte[]>();
        TaggedFields.ReadAll(ref reader, (batch, pieces), ReadField);
        batch.Pieces = [.. pieces];
        ReferenceCodec.RecordObject(reader.Session, batch, placeholder);
        return batch;
    }

    private static bool ReadField<TInput>(ref Reader<TInput> reader, Field field, uint id, (RecordBatch Batch, List<byte[]> Pieces) target)
    {
        var batch = target.Batch;
        switch (id)
        {
            case 0:
                batch.Partition = Int32Codec.ReadValue(ref reader, field);
                return true;
            case 1:
                target.Pieces.Add(ReadPiece(ref reader, field));
                return true;
            case 2:
                batch.NextOffset = Int64Codec.ReadValue(ref reader, field);
                return true;
            case 3:
                batch.EndOffset = Int64Codec.ReadValue(ref reader, field);
                return true;
            case 4:
                batch.StartOffset = Int64Codec.ReadValue(ref reader, field);
                return true;
            case 5:
                batch.Count = checked((int)Int64Codec.ReadValue(ref reader, field));
                return true;
            case 6:
                batch.FirstOffset = Int64Codec.ReadValue(ref reader, field);
                return true;
            default:
                return false;
        }
    }

    private static byte[] ReadPiece<TInput>(ref Reader<TInput> reader, Field field)
    {
        field.EnsureWireType(WireType.LengthPrefixed);
        var size = reader.ReadVarUInt32();
        reader.EnsureAvailable(size);
        var piece = GC.AllocateUninitializedArray<byte>((int)size);
        reader.ReadBytes(piece);
        return piece;
    }
}
