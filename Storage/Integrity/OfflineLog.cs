using Efflux.Format;
using Efflux.Storage.IO;

namespace Efflux.Storage.Integrity;

/// <summary>Reads records straight from a partition directory's segment files, without opening (or recovering) it.</summary>
public static class OfflineLog
{
    /// <summary>Records from <paramref name="fromOffset"/> on, at most <paramref name="count"/>, checking framing only; stops at the first unframed byte.</summary>
    public static IEnumerable<StoredRecord> Read(string partitionDirectory, long fromOffset, int count)
    {
        var files = PartitionLog.ListSegments(Path.GetFullPath(partitionDirectory));
        var start = 0;
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].BaseOffset <= fromOffset)
            {
                start = i;
            }
        }

        var produced = 0;
        for (var s = start; s < files.Count && produced < count; s++)
        {
            using var reader = new ChunkedFileReader(files[s].Path);
            long position = 0;
            var offset = files[s].BaseOffset;
            while (position < reader.FileLength && produced < count)
            {
                var window = reader.Window(position, 64 * 1024);
                var length = window.Length >= 14 ? RecordLayout.ReadLength(window) : 0;
                if (length > window.Length && length <= RecordLayout.MaxRecordLength)
                {
                    window = reader.Window(position, length);
                }

                if (RecordCheck.CheckFrame(window, out length) != RecordStatus.Ok)
                {
                    yield break;
                }

                if (offset >= fromOffset)
                {
                    produced++;
                    yield return new StoredRecord(offset, window[..length].ToArray());
                }

                position += length;
                offset++;
            }
        }
    }
}
