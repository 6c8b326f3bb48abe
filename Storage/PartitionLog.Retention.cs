using Efflux.Storage.Log;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes the oldest sealed segments that are past the retention age or beyond the size limit, whole segments at a
    /// time; the active segment is never deleted. Before deleting, records the new first offset and its link in
    /// <c>retention.json</c>, so that the remaining chain verifies from its first record. Returns the segments removed.
    /// </summary>
    public int ApplyRetention()
    {
        ThrowIfDisposed();
        lock (_segmentsLock)
        {
            var segments = _segments;
            var now = _time.GetUtcNow().UtcTicks;
            var total = segments.Sum(s => s.Length);
            var remove = 0;
            while (remove < segments.Length - 1)
            {
                var candidate = segments[remove];
                var next = segments[remove + 1];
                var tooBig = _options.RetentionBytes is { } maxBytes && total > maxBytes;
                var tooOld = _options.RetentionAge is { } maxAge && next.BaseOffset > candidate.BaseOffset
                    && now - ReadMetadataAt(candidate, next.BaseOffset - 1).Created.Ticks > maxAge.Ticks;
                if (!tooBig && !tooOld)
                {
                    break;
                }

                total -= candidate.Length;
                remove++;
            }

            if (remove == 0)
            {
                return 0;
            }

            var newFirst = segments[remove];
            var link = newFirst.BaseOffset < NextOffset
                ? ReadMetadataAt(newFirst, newFirst.BaseOffset).LinkedFingerprint
                : (byte[])_lastFingerprint.Clone();
            new RetentionMarker(newFirst.BaseOffset, link).Write(Directory, _fs);
            Volatile.Write(ref _segments, segments[remove..]);
            for (var i = 0; i < remove; i++)
            {
                segments[i].Dispose();
                File.Delete(segments[i].FilePath);
                File.Delete(segments[i].OffsetsPath);
                File.Delete(segments[i].IndexPath);
            }

            _fs.SyncDirectory(Directory);
            StorageLog.RetentionApplied(_logger, Directory, remove, newFirst.BaseOffset);
            return remove;
        }
    }
}
