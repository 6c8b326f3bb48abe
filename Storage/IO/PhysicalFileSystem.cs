using Microsoft.Win32.SafeHandles;

namespace Efflux.Storage.IO;

/// <summary>The real file system: positional writes and fdatasync through the handle.</summary>
public sealed class PhysicalFileSystem : IStorageFileSystem
{
    /// <summary>The shared instance.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    /// <inheritdoc />
    public ILogFile OpenLog(string path) => new PhysicalLogFile(path);

    /// <inheritdoc />
    public void SyncDirectory(string path) => NativeFile.SyncDirectory(path);

    private sealed class PhysicalLogFile : ILogFile
    {
        // Readers open their own handles; FileShare.Delete lets retention unlink a segment that a reader still holds.
        private readonly SafeFileHandle _handle;

        public PhysicalLogFile(string path)
        {
            _handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            PrivateFiles.Restrict(_handle);
        }

        public long Length => RandomAccess.GetLength(_handle);

        public void Write(ReadOnlySpan<byte> data, long position) => RandomAccess.Write(_handle, data, position);

        public void Flush() => NativeFile.DataSync(_handle);

        public void Truncate(long length) => RandomAccess.SetLength(_handle, length);

        public void Dispose() => _handle.Dispose();
    }
}
