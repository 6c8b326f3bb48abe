namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// The event-time watermark: the largest event time seen. An event below it is late (allowed lateness 0): counted and
/// dropped. Owned by one operator.
/// </summary>
public sealed class Watermark
{
    /// <summary>The largest event time seen (long.MinValue before the first event).</summary>
    public long Current { get; private set; } = long.MinValue;

    /// <summary>Events dropped as late.</summary>
    public long Late { get; private set; }

    /// <summary>Advances to <paramref name="time"/>; false (and one more late event) when the time is below the watermark.</summary>
    public bool TryAdvance(long time)
    {
        if (time < Current)
        {
            Late++;
            return false;
        }

        Current = time;
        return true;
    }

    /// <summary>Writes the watermark and the late count.</summary>
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Current);
        writer.Write(Late);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Current = reader.ReadLong();
        Late = reader.ReadLong();
    }

    /// <summary>Counts an event whose time could not be read as late.</summary>
    public void CountUnreadable() => Late++;
}
