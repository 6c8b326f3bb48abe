using Microsoft.Win32.SafeHandles;

namespace Efflux.Storage.IO;

/// <summary>
/// Forward reads of a file through one large buffer, so that scans cost one system call per chunk rather than per
/// record. The buffer is sized by what there is to read (up to 4 MiB a chunk), so opening an empty or small segment
/// does not take a large-object-heap array. Not thread-safe: one scan owns one reader.
/// </summary>
internal sealed class ChunkedFileReader : IDisposable
{
    private const int DefaultChunk = 4 << 20;

    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public ChunkedFileReader(string path)
        : this(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan), true)
    {
    }

    public ChunkedFileReader(SafeFileHandle handle, bool ownsHandle)
    {
        _handle = handle;
        _ownsHandle = ownsHandle;
        _buffer = [];
        FileLength = RandomAccess.GetLength(handle);
    }

    /// <summary>File length when the reader was opened (or last refreshed).</summary>
    public long FileLength { get; private set; }

    /// <summary>Re-reads the file length, for a file that is still growing.</summary>
    public void Refresh(long? limit = null) => FileLength = limit ?? RandomAccess.GetLength(_handle);

    /// <summary>
    /// Returns the bytes from <paramref name="position"/> on, holding at least <paramref name="minBytes"/> unless the file
    /// ends sooner. The span stays valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Window(long position, int minBytes)
    {
        var end = _bufferStart + _bufferLength;
        var want = Math.Min(minBytes, FileLength - position);
        if (position < _bufferStart || position + want > end)
        {
            Fill(position, minBytes);
        }

        var start = (int)(position - _bufferStart);
        return _buffer.AsSpan(start, _bufferLength - start);
    }

    public void Dispose()
    {
        if (_ownsHandle)
        {
            _handle.Dispose();
        }
    }

    private void Fill(long position, int minBytes)
    {
        var size = Math.Max(minBytes, (int)Math.Clamp(FileLength - position, 4096, DefaultChunk));
        if (size > _buffer.Length)
        {
            _buffer = new byte[size];
        }

        var toRead = (int)Math.Min(_buffer.Length, Math.Max(0, FileLength - position));
        var read = 0;
        while (read < toRead)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(read, toRead - read), position + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _bufferStart = position;
        _bufferLength = read;
    }
}
