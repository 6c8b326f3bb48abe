using System.Diagnostics;
using System.Globalization;
using Efflux.Format;
using Efflux.Storage.IO;
using Efflux.Storage.Integrity;
using Efflux.Storage.Log;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    private static PartitionLog Open(string dataDirectory, string directory, string ns, string topic, int partition, PartitionLogOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var created = CreateDirectories(dataDirectory, directory, options);
        var files = ListSegments(directory);
        if (files.Count == 0)
        {
            var first = Path.Combine(directory, StorageNames.SegmentFileName(0));
            options.FileSystem.OpenLog(first).Dispose();
            options.FileSystem.SyncDirectory(directory);
            files.Add((0, first));
        }
        else if (created)
        {
            options.FileSystem.SyncDirectory(directory);
        }

        var checkpoint = RecoveryCheckpoint.Open(directory, out var state);
        var segments = new Segment[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var isLast = i == files.Count - 1;
            segments[i] = new Segment(directory, files[i].BaseOffset, new FileInfo(files[i].Path).Length, positionsLoaded: isLast);
            if (!isLast)
            {
                segments[i].Seal(files[i + 1].BaseOffset - files[i].BaseOffset);
            }
        }

        var log = new PartitionLog(directory, ns, topic, partition, options, checkpoint, segments);
        try
        {
            log.Recover(files, state, started);
        }
        catch
        {
            checkpoint.Dispose();
            foreach (var s in segments)
            {
                s.Dispose();
            }

            throw;
        }

        log.StartLoops();
        StorageLog.Opened(log._logger, directory, log.StartOffset, log.NextOffset, segments.Length, log.Recovery.FromCheckpoint, log.Recovery.ScannedRecords, log.Recovery.Elapsed.TotalMilliseconds);
        return log;
    }

    /// <summary>
    /// Scans from the checkpoint (or the first segment) to the end, cuts a torn tail of the last file, and refuses to
    /// open on anything else.
    /// </summary>
    private void Recover(List<(long BaseOffset, string Path)> files, RecoveryCheckpoint.State? state, long started)
    {
        var from = ScanStart(files, state);
        var active = _segments[^1];
        var activeIndex = files.Count - 1;
        var positions = new List<int>();
        if (from.Segment == activeIndex && from.Position > 0)
        {
            positions.AddRange(Segment.WalkHeaders(active.FilePath, from.Position));
        }

        var scanner = new ChainScanner { Segments = files };
        var failure = scanner.Scan(from.Segment, from.Position, from.Offset, from.Link, (segment, position, _, _, _) =>
        {
            if (segment == activeIndex)
            {
                positions.Add((int)position);
            }
        });

        if (failure is null && state is not null && scanner.NextOffset < state.NextOffset)
        {
            throw new CorruptLogException(files[^1].Path, new FileInfo(files[^1].Path).Length, scanner.NextOffset, "the log ends before its durable point (segments missing or truncated)", $"next offset {state.NextOffset}", $"next offset {scanner.NextOffset}");
        }

        var truncated = failure is null ? 0 : CutTornTail(failure);
        Adopt(scanner, active, activeIndex, positions);
        Recovery = new RecoveryReport(from.Checkpoint, scanner.Records, truncated, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Where the scan starts: after the checkpoint's durable point when its segment is still there, else at the first segment.</summary>
    private (bool Checkpoint, int Segment, long Position, long Offset, byte[] Link) ScanStart(List<(long BaseOffset, string Path)> files, RecoveryCheckpoint.State? state)
    {
        if (state is not null && files.FindIndex(f => f.BaseOffset == state.SegmentBase) is var segment and >= 0)
        {
            CheckDurablePoint(files[segment].Path, state);
            return (true, segment, state.EndPosition, state.NextOffset, state.LastFingerprint);
        }

        var first = files[0].BaseOffset;
        return (false, 0, 0, first, first == 0 ? _genesis : RetentionLink(files[0]));
    }

    /// <summary>Cuts a torn tail (a crash mid-write) off its file and returns the bytes cut; any other failure refuses the open.</summary>
    private long CutTornTail(ScanFailure failure)
    {
        if (!failure.IsTornTail)
        {
            throw failure.ToException();
        }

        StorageLog.TornTailCut(_logger, failure.File, failure.Position, failure.TornTailBytes);
        using var file = _fs.OpenLog(failure.File);
        file.Truncate(failure.Position);
        file.Flush();
        return failure.TornTailBytes;
    }

    /// <summary>Takes the scanned end as the log's state: the active segment's record positions and length, the next offset and the last fingerprint.</summary>
    private void Adopt(ChainScanner scanner, Segment active, int activeIndex, List<int> positions)
    {
        active.SetPositions(positions);
        var (endSegment, endPosition) = scanner.End;
        active.SetLength(endSegment == activeIndex ? endPosition : 0);
        _zeroedTo = active.Length;
        _activeFile = _fs.OpenLog(active.FilePath);
        _nextOffset = scanner.NextOffset;
        scanner.LastFingerprint.CopyTo(_lastFingerprint);
        _lastRecordSegment = active.BaseOffset;
        _lastRecordPosition = positions.Count > 0 ? positions[^1] : -1;
        if (_lastRecordPosition < 0 && _nextOffset > 0 && _segments.Length > 1)
        {
            var previous = _segments[^2];
            _lastRecordSegment = previous.BaseOffset;
            _lastRecordPosition = previous.Locate(_nextOffset - 1).Position;
        }

        _recoveredNext = _nextOffset;
        _openedTicks = _time.GetUtcNow().UtcTicks;
        if (positions.Count > 0)
        {
            _activeFirstCreatedTicks = ReadMetadataAt(active, active.BaseOffset).Created.Ticks;
        }

        _visibleNext = _nextOffset;
        _writeState = new WriteState(_activeFile, active.BaseOffset, 0, active.Length, _nextOffset, _lastRecordPosition, _lastRecordSegment, (byte[])_lastFingerprint.Clone());
    }

    /// <summary>The record the checkpoint names must still be there, end where it says, and hash to its fingerprint.</summary>
    private static void CheckDurablePoint(string path, RecoveryCheckpoint.State state)
    {
        var length = new FileInfo(path).Length;
        if (length < state.EndPosition)
        {
            throw new CorruptLogException(path, length, state.NextOffset - 1, "the log is shorter than its durable point (truncated)", $"at least {state.EndPosition} bytes", $"{length} bytes");
        }

        var size = (int)(state.EndPosition - state.LastRecordPosition);
        var bytes = new byte[size];
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            RandomAccess.Read(handle, bytes, state.LastRecordPosition);
        }

        var frame = RecordCheck.CheckFrame(bytes, out var l);
        var actual = frame == RecordStatus.Ok && l == size ? Sha256Fast.Hash(bytes.AsSpan(RecordLayout.HeaderSize, RecordLayout.ReadMetadataLength(bytes))) : null;
        var stored = bytes.AsSpan(RecordLayout.FingerprintOffset, RecordLayout.HashSize);
        if (actual is null || !actual.AsSpan().SequenceEqual(state.LastFingerprint) || !stored.SequenceEqual(state.LastFingerprint))
        {
            throw new CorruptLogException(path, state.LastRecordPosition, state.NextOffset - 1, "the record at the durable point does not match the checkpoint", Convert.ToBase64String(state.LastFingerprint), actual is null ? RecordCheck.Describe(frame) : $"computed {Convert.ToBase64String(actual)}, stored {Convert.ToBase64String(stored)}");
        }
    }

    /// <summary>The link the oldest retained record must carry: recorded by retention when it deleted older segments.</summary>
    private byte[] RetentionLink((long BaseOffset, string Path) first)
    {
        var marker = RetentionMarker.TryRead(Directory);
        if (marker is null || marker.StartOffset != first.BaseOffset)
        {
            throw new CorruptLogException(first.Path, 0, first.BaseOffset, "the partition starts after offset 0 without a matching retention record", marker is null ? RetentionMarker.FileName : $"start {marker.StartOffset}", $"first segment {first.BaseOffset.ToString(CultureInfo.InvariantCulture)}");
        }

        return marker.LinkedFingerprint;
    }

    private static bool CreateDirectories(string dataDirectory, string directory, PartitionLogOptions options)
    {
        if (System.IO.Directory.Exists(directory))
        {
            return false;
        }

        // Create each level and make its entry durable in its parent.
        var relative = Path.GetRelativePath(dataDirectory, directory).Split(Path.DirectorySeparatorChar);
        var current = dataDirectory;
        PrivateFiles.CreateDirectory(dataDirectory);
        foreach (var part in relative)
        {
            var next = Path.Combine(current, part);
            if (!System.IO.Directory.Exists(next))
            {
                PrivateFiles.CreateDirectory(next);
                options.FileSystem.SyncDirectory(current);
            }

            current = next;
        }

        return true;
    }

    /// <summary>The segment files of a directory in base-offset order; other files are ignored.</summary>
    public static List<(long BaseOffset, string Path)> ListSegments(string directory)
    {
        var list = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.log"))
        {
            if (StorageNames.TryParseSegmentFileName(Path.GetFileName(path), out var baseOffset))
            {
                list.Add((baseOffset, path));
            }
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
