using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Efflux.Format;
using Efflux.Storage.IO;
using Efflux.Storage.Log;

namespace Efflux.Storage.Indexing;

/// <summary>
/// The metadata index of one segment: event time of every record (with its running maximum, for offset-for-time),
/// a hash of every Id (fetch by id), and posting lists of record numbers per term (DataType, MessageGroup, ContentType,
/// property name=value) for search. Built off the append path, on first use, from the metadata bytes alone; persisted as
/// the <c>.index</c> side file once its segment is sealed. Thread-safe: one lock serialises catch-up and queries.
/// </summary>
internal sealed class SegmentIndex
{
    private const int FixedHeader = 28;

    private readonly Segment _segment;
    private readonly Lock _lock = new();
    private readonly List<long> _timestamps = [];
    private readonly List<long> _runningMax = [];
    private readonly List<ulong> _idHashes = [];
    private readonly Dictionary<ulong, int> _firstById = [];
    private readonly Dictionary<string, List<int>> _terms = new(StringComparer.Ordinal);
    private bool _persisted;

    private SegmentIndex(Segment segment)
    {
        _segment = segment;
    }

    private static ReadOnlySpan<byte> Magic => "EFXIDX01"u8;

    public static SegmentIndex LoadOrCreate(Segment segment)
    {
        var index = new SegmentIndex(segment);
        if (segment.IsSealed)
        {
            index.TryLoad();
        }

        return index;
    }

    /// <summary>Stable 64-bit FNV-1a of the UTF-8 id.</summary>
    public static ulong HashId(string id)
    {
        var hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(id) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(id, buffer)] : Encoding.UTF8.GetBytes(id);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Indexes records up to <paramref name="visibleCount"/> (records of this segment that readers may see).</summary>
    public void CatchUp(int visibleCount)
    {
        lock (_lock)
        {
            if (_timestamps.Count >= visibleCount)
            {
                return;
            }

            var first = _segment.BaseOffset + _timestamps.Count;
            var (start, _) = _segment.Locate(first);
            using var reader = new ChunkedFileReader(_segment.ReadHandle, ownsHandle: false);
            var position = start;
            for (var i = _timestamps.Count; i < visibleCount; i++)
            {
                var (_, length) = _segment.Locate(_segment.BaseOffset + i);
                var head = reader.Window(position, RecordLayout.HeaderSize);
                var m = RecordLayout.ReadMetadataLength(head);
                var metadata = MetadataReader.Read(reader.Window(position, RecordLayout.HeaderSize + m).Slice(RecordLayout.HeaderSize, m));
                Add(i, metadata);
                position += length;
            }

            if (_segment.SealedCount == _timestamps.Count && !_persisted)
            {
                Persist();
            }
        }
    }

    /// <summary>First record number whose Timestamp is at or after <paramref name="ticks"/>, or -1.</summary>
    public int FirstAtOrAfter(long ticks)
    {
        lock (_lock)
        {
            var lo = 0;
            var hi = _runningMax.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_runningMax[mid] >= ticks)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return lo < _runningMax.Count ? lo : -1;
        }
    }

    /// <summary>Record numbers whose id hash equals that of <paramref name="id"/>, first one first.</summary>
    public IReadOnlyList<int> CandidatesForId(string id)
    {
        var hash = HashId(id);
        lock (_lock)
        {
            if (!_firstById.TryGetValue(hash, out var first))
            {
                return [];
            }

            var result = new List<int> { first };
            for (var i = first + 1; i < _idHashes.Count; i++)
            {
                if (_idHashes[i] == hash)
                {
                    result.Add(i);
                }
            }

            return result;
        }
    }

    /// <summary>
    /// Record numbers (ascending, at or after <paramref name="fromRecord"/>) matching every term and the time range,
    /// at most <paramref name="max"/>.
    /// </summary>
    public List<int> Search(IReadOnlyList<string> terms, long? fromTicks, long? toTicks, int fromRecord, int max)
    {
        var result = new List<int>();
        lock (_lock)
        {
            IEnumerable<int> candidates;
            if (terms.Count == 0)
            {
                candidates = Enumerable.Range(fromRecord, Math.Max(0, _timestamps.Count - fromRecord));
            }
            else
            {
                var lists = new List<List<int>>(terms.Count);
                foreach (var term in terms)
                {
                    if (!_terms.TryGetValue(term, out var list))
                    {
                        return result;
                    }

                    lists.Add(list);
                }

                lists.Sort((a, b) => a.Count.CompareTo(b.Count));
                candidates = Intersect(lists, fromRecord);
            }

            foreach (var i in candidates)
            {
                var ts = _timestamps[i];
                if ((fromTicks is { } f && ts < f) || (toTicks is { } t && ts >= t))
                {
                    continue;
                }

                result.Add(i);
                if (result.Count >= max)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Term for a DataType value.</summary>
    public static string DataTypeTerm(string value) => "d:" + value;

    /// <summary>Term for a MessageGroup value.</summary>
    public static string GroupTerm(string value) => "g:" + value;

    /// <summary>Term for a ContentType value.</summary>
    public static string ContentTypeTerm(string value) => "c:" + value;

    /// <summary>Term for a property equality.</summary>
    public static string PropertyTerm(string name, string value) => "p:" + name + "\0" + value;

    private static IEnumerable<int> Intersect(List<List<int>> lists, int fromRecord)
    {
        var smallest = lists[0];
        var start = smallest.BinarySearch(fromRecord);
        for (var k = start < 0 ? ~start : start; k < smallest.Count; k++)
        {
            var candidate = smallest[k];
            var inAll = true;
            for (var j = 1; j < lists.Count && inAll; j++)
            {
                inAll = lists[j].BinarySearch(candidate) >= 0;
            }

            if (inAll)
            {
                yield return candidate;
            }
        }
    }

    private void Add(int record, RecordMetadata metadata)
    {
        var ticks = metadata.Timestamp.Ticks;
        _timestamps.Add(ticks);
        _runningMax.Add(record == 0 ? ticks : Math.Max(ticks, _runningMax[record - 1]));
        var hash = HashId(metadata.Id);
        _idHashes.Add(hash);
        _firstById.TryAdd(hash, record);
        AddTerm(metadata.DataType, DataTypeTerm, record);
        AddTerm(metadata.MessageGroup, GroupTerm, record);
        AddTerm(metadata.ContentType, ContentTypeTerm, record);
        if (metadata.Properties is { } props)
        {
            foreach (var (name, value) in props)
            {
                Posting(PropertyTerm(name, value)).Add(record);
            }
        }
    }

    private void AddTerm(string? value, Func<string, string> term, int record)
    {
        if (value is not null)
        {
            Posting(term(value)).Add(record);
        }
    }

    private List<int> Posting(string term)
    {
        if (!_terms.TryGetValue(term, out var list))
        {
            list = [];
            _terms[term] = list;
        }

        return list;
    }

    private void Persist()
    {
        using var body = new MemoryStream();
        Span<byte> header = stackalloc byte[FixedHeader];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], _segment.BaseOffset);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], _timestamps.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header[20..], _segment.Length);
        body.Write(header);
        body.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_timestamps)));
        body.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_idHashes)));
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(four, _terms.Count);
        body.Write(four);
        foreach (var (term, list) in _terms)
        {
            var name = Encoding.UTF8.GetBytes(term);
            BinaryPrimitives.WriteInt32LittleEndian(four, name.Length);
            body.Write(four);
            body.Write(name);
            BinaryPrimitives.WriteInt32LittleEndian(four, list.Count);
            body.Write(four);
            body.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(list)));
        }

        ChecksummedFile.Write(_segment.IndexPath, body.GetBuffer().AsSpan(0, (int)body.Length));
        _persisted = true;
    }

    private void TryLoad()
    {
        var body = ChecksummedFile.TryRead(_segment.IndexPath);
        if (body is null || body.Length < FixedHeader || !body.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return;
        }

        var span = body.AsSpan();
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        if (BinaryPrimitives.ReadInt64LittleEndian(span[8..]) != _segment.BaseOffset
            || BinaryPrimitives.ReadInt64LittleEndian(span[20..]) != _segment.Length
            || count != _segment.SealedCount
            || span.Length < FixedHeader + (16L * count) + 4)
        {
            return;
        }

        var p = FixedHeader;
        var timestamps = MemoryMarshal.Cast<byte, long>(span.Slice(p, count * 8));
        p += count * 8;
        var ids = MemoryMarshal.Cast<byte, ulong>(span.Slice(p, count * 8));
        p += count * 8;
        var terms = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var termCount = BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
        p += 4;
        for (var t = 0; t < termCount; t++)
        {
            var nameLength = BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
            var name = Encoding.UTF8.GetString(span.Slice(p + 4, nameLength));
            p += 4 + nameLength;
            var n = BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
            terms[name] = [.. MemoryMarshal.Cast<byte, int>(span.Slice(p + 4, n * 4))];
            p += 4 + (n * 4);
        }

        for (var i = 0; i < count; i++)
        {
            _timestamps.Add(timestamps[i]);
            _runningMax.Add(i == 0 ? timestamps[i] : Math.Max(timestamps[i], _runningMax[i - 1]));
            _idHashes.Add(ids[i]);
            _firstById.TryAdd(ids[i], i);
        }

        foreach (var (name, list) in terms)
        {
            _terms[name] = list;
        }

        _persisted = true;
    }
}
