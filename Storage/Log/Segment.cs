using Efflux.Format;
using Efflux.Storage.Indexing;
using Efflux.Storage.IO;
using Microsoft.Win32.SafeHandles;

namespace Efflux.Storage.Log;

/// <summary>
/// One segment file of a partition and the byte position of each of its records. The writer thread appends positions
/// and publishes them with a volatile count; readers take the count first and read positions below it, so they never
/// lock. Sealed segments load their positions lazily (from the <c>.offsets</c> file, or by walking the headers).
/// </summary>
internal sealed class Segment : IDisposable
{
    private readonly Lock _loadLock = new();
    private readonly Lazy<SafeFileHandle> _readHandle;

    // Positions of records [BaseOffset, BaseOffset + _count); only the writer grows it.
    private int[] _positions;
    private int _count;

    // Bytes written to the file (the writer's view); readers use it to size the last record.
    private long _length;
    private bool _positionsLoaded;
    private SegmentIndex? _index;

    public Segment(string directory, long baseOffset, long length, bool positionsLoaded)
    {
        BaseOffset = baseOffset;
        FilePath = Path.Combine(directory, StorageNames.SegmentFileName(baseOffset));
        _length = length;
        _positions = new int[positionsLoaded ? 1024 : 0];
        _positionsLoaded = positionsLoaded;
        _readHandle = new Lazy<SafeFileHandle>(() => File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess));
    }

    public long BaseOffset { get; }

    public string FilePath { get; }

    public string OffsetsPath => Path.ChangeExtension(FilePath, ".offsets");

    public string IndexPath => Path.ChangeExtension(FilePath, ".index");

    public long Length => Volatile.Read(ref _length);

    /// <summary>Records in the segment once sealed (known from the next segment's base); null while active.</summary>
    public long? SealedCount { get; private set; }

    public bool IsSealed => SealedCount is not null;

    /// <summary>Records the writer has positioned (not all of them need be visible yet).</summary>
    public int Count => Volatile.Read(ref _count);

    public SafeFileHandle ReadHandle => _readHandle.Value;

    /// <summary>Writer: remembers where the next record starts.</summary>
    public void AddPosition(int position)
    {
        if (_count == _positions.Length)
        {
            var grown = new int[Math.Max(1024, _positions.Length * 2)];
            _positions.AsSpan(0, _count).CopyTo(grown);
            Volatile.Write(ref _positions, grown);
        }

        _positions[_count] = position;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Writer: forgets positions past <paramref name="count"/> after a failed write.</summary>
    public void TrimPositions(int count) => Volatile.Write(ref _count, Math.Min(count, _count));

    /// <summary>Writer: the file now holds <paramref name="length"/> bytes.</summary>
    public void SetLength(long length) => Volatile.Write(ref _length, length);

    public void Seal(long count) => SealedCount = count;

    /// <summary>Position and length of the record at <paramref name="offset"/>; the caller checked that it is visible.</summary>
    public (long Position, int Length) Locate(long offset)
    {
        EnsurePositions();
        var i = (int)(offset - BaseOffset);
        var count = Volatile.Read(ref _count);
        var positions = Volatile.Read(ref _positions);
        long end = i + 1 < count ? positions[i + 1] : Length;
        return (positions[i], (int)(end - positions[i]));
    }

    /// <summary>Byte range covering records [from, to] in this segment.</summary>
    public (long Position, long Length) Range(long from, long to)
    {
        var (start, _) = Locate(from);
        var (last, lastLength) = Locate(to);
        return (start, last + lastLength - start);
    }

    /// <summary>Copies positions of records [0, count) for an index file.</summary>
    public int[] SnapshotPositions()
    {
        EnsurePositions();
        var count = Volatile.Read(ref _count);
        return Volatile.Read(ref _positions).AsSpan(0, count).ToArray();
    }

    /// <summary>The metadata index, created on first use and caught up by the caller.</summary>
    public SegmentIndex Index
    {
        get
        {
            lock (_loadLock)
            {
                return _index ??= SegmentIndex.LoadOrCreate(this);
            }
        }
    }

    /// <summary>Loads the positions of a sealed segment on first use.</summary>
    public void EnsurePositions()
    {
        if (Volatile.Read(ref _positionsLoaded))
        {
            return;
        }

        lock (_loadLock)
        {
            if (_positionsLoaded)
            {
                return;
            }

            var expected = SealedCount ?? -1;
            var positions = OffsetsFile.TryLoad(OffsetsPath, BaseOffset, expected, Length) ?? WalkHeaders(FilePath, Length);
            if (expected >= 0 && positions.Length != expected)
            {
                throw new CorruptLogException(FilePath, Length, BaseOffset + positions.Length, "segment holds the wrong number of records", expected.ToString(System.Globalization.CultureInfo.InvariantCulture), positions.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            _positions = positions;
            Volatile.Write(ref _count, positions.Length);
            Volatile.Write(ref _positionsLoaded, true);
        }
    }

    /// <summary>Writer: installs positions found by recovery.</summary>
    public void SetPositions(List<int> positions)
    {
        var array = new int[Math.Max(1024, positions.Count * 2)];
        positions.CopyTo(array);
        _positions = array;
        Volatile.Write(ref _count, positions.Count);
        Volatile.Write(ref _positionsLoaded, true);
    }

    /// <summary>Finds record starts by following the L fields; checks framing only.</summary>
    public static int[] WalkHeaders(string path, long length)
    {
        var positions = new List<int>();
        using var reader = new ChunkedFileReader(path);
        reader.Refresh(Math.Min(length, reader.FileLength));
        long position = 0;
        while (position < reader.FileLength)
        {
            var window = reader.Window(position, RecordLayout.MetadataLengthOffset + 4);
            if (window.Length < 14 || !window[..6].SequenceEqual(RecordLayout.HeaderId))
            {
                throw new CorruptLogException(path, position, -1, "header id mismatch while indexing", Convert.ToHexString(RecordLayout.HeaderId), Convert.ToHexString(window[..Math.Min(6, window.Length)]));
            }

            var l = RecordLayout.ReadLength(window);
            if (l < RecordLayout.Overhead || position + l > reader.FileLength)
            {
                throw new CorruptLogException(path, position, -1, "record length out of range while indexing", $"at most {reader.FileLength - position}", l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            positions.Add((int)position);
            position += l;
        }

        return [.. positions];
    }

    public void Dispose()
    {
        if (_readHandle.IsValueCreated)
        {
            _readHandle.Value.Dispose();
        }
    }
}
