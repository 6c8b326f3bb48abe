using Efflux.Storage.Indexing;
using Efflux.Storage.Log;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    /// <summary>The first offset whose Timestamp is at or after <paramref name="time"/>, or <see cref="NextOffset"/> when none is.</summary>
    public long OffsetForTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        var visible = NextOffset;
        foreach (var segment in Volatile.Read(ref _segments))
        {
            var index = CaughtUpIndex(segment, visible);
            var i = index.FirstAtOrAfter(ticks);
            if (i >= 0)
            {
                return segment.BaseOffset + i;
            }
        }

        return visible;
    }

    /// <summary>Records matching <paramref name="query"/>, oldest first.</summary>
    public IReadOnlyList<StoredRecord> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Max, 1);
        var terms = new List<string>();
        if (query.DataType is { } d)
        {
            terms.Add(SegmentIndex.DataTypeTerm(d));
        }

        if (query.MessageGroup is { } g)
        {
            terms.Add(SegmentIndex.GroupTerm(g));
        }

        if (query.ContentType is { } c)
        {
            terms.Add(SegmentIndex.ContentTypeTerm(c));
        }

        foreach (var (name, value) in query.Properties ?? new Dictionary<string, string>())
        {
            terms.Add(SegmentIndex.PropertyTerm(name, value));
        }

        var visible = NextOffset;
        var result = new List<StoredRecord>();
        foreach (var segment in Volatile.Read(ref _segments))
        {
            var end = SegmentEnd(segment, visible);
            if (end <= query.StartOffset)
            {
                continue;
            }

            var index = CaughtUpIndex(segment, visible);
            var from = (int)Math.Max(0, query.StartOffset - segment.BaseOffset);
            foreach (var i in index.Search(terms, query.From?.UtcTicks, query.To?.UtcTicks, from, query.Max - result.Count))
            {
                result.Add(Read(segment.BaseOffset + i)!);
            }

            if (result.Count >= query.Max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The record with this Id, newest first if the id was reused outside the idempotency window; null when none.</summary>
    public StoredRecord? ReadById(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return FindById(id, NextOffset, long.MinValue);
    }

    /// <summary>Searches records below <paramref name="before"/>, newest segment first, stopping at records appended before <paramref name="notBeforeTicks"/>.</summary>
    private StoredRecord? FindById(string id, long before, long notBeforeTicks)
    {
        var segments = Volatile.Read(ref _segments);
        for (var s = segments.Length - 1; s >= 0; s--)
        {
            var segment = segments[s];
            var end = SegmentEnd(segment, before);
            if (end <= segment.BaseOffset)
            {
                continue;
            }

            // Append times only grow: once a segment's newest record is too old, so is everything before it, and its
            // index need not even be built.
            if (notBeforeTicks != long.MinValue && ReadMetadataAt(segment, end - 1).Created.Ticks < notBeforeTicks)
            {
                return null;
            }

            var index = CaughtUpIndex(segment, before);
            var candidates = index.CandidatesForId(id);
            for (var k = candidates.Count - 1; k >= 0; k--)
            {
                var record = Read(segment.BaseOffset + candidates[k]);
                if (record is not null && record.Metadata.Id == id && record.Metadata.Created.Ticks >= notBeforeTicks)
                {
                    return record;
                }
            }

            if (notBeforeTicks != long.MinValue && ReadMetadataAt(segment, segment.BaseOffset).Created.Ticks < notBeforeTicks)
            {
                return null;
            }
        }

        return null;
    }

    private static long SegmentEnd(Segment segment, long visible)
        => segment.SealedCount is { } count ? Math.Min(segment.BaseOffset + count, visible) : visible;

    private static SegmentIndex CaughtUpIndex(Segment segment, long visible)
    {
        var index = segment.Index;
        index.CatchUp((int)Math.Max(0, SegmentEnd(segment, visible) - segment.BaseOffset));
        return index;
    }
}
