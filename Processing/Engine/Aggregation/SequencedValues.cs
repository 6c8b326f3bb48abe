using Efflux.Processing.Engine.State;

namespace Efflux.Processing.Engine.Aggregation;

/// <summary>State I/O of the (arrival, value) deques that MIN, MAX, FIRST and LAST keep.</summary>
internal static class SequencedValues
{
    public static void Save(StateWriter writer, LinkedList<(long Sequence, Value Value)> values)
    {
        writer.Write(values.Count);
        foreach (var (sequence, value) in values)
        {
            writer.Write(sequence);
            writer.Write(value);
        }
    }

    public static void Load(StateReader reader, LinkedList<(long Sequence, Value Value)> values)
    {
        values.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var sequence = reader.ReadLong();
            values.AddLast((sequence, reader.ReadValue()));
        }
    }
}
