using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Efflux.Storage.IO;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Efflux.Grains.Hosting;

/// <summary>
/// Grain state in files under one directory: <c>{root}/{grain type}/{grain key}/{state name}.state</c>, each name
/// escaped so that no key can leave the directory (characters outside <c>[A-Za-z0-9_-]</c> become <c>%XX</c>). A file
/// holds "EFXS", an 8-byte little-endian version (the ETag) and the state as the silo's grain-state serializer writes
/// it. A write goes to a temporary file that is fsynced and renamed over the state, then the directory is fsynced: a
/// crash leaves the old or the new state, never a mix. Every write and clear is conditional on the ETag the grain
/// read. Writers of one process are serialized per state; silos must not share the directory (a cluster keeps its
/// grain state in a shared provider such as Azure blobs).
/// </summary>
public sealed partial class FileGrainStorage(string root, IGrainStorageSerializer serializer, ILogger<FileGrainStorage> logger) : IGrainStorage
{
    private static readonly byte[] Magic = "EFXS"u8.ToArray();
    private const int HeaderLength = 12;

    private readonly string _root = Path.GetFullPath(root);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = PathOf(grainId, stateName);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (await ReadStoredAsync(path, grainId, stateName).ConfigureAwait(false) is { } file)
            {
                grainState.State = Deserialize<T>(file.Data, grainId, stateName);
                grainState.ETag = Etag(file.Version);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var data = serializer.Serialize(grainState.State).ToMemory();
        grainState.ETag = await UnderLockAsync(grainId, stateName, grainState.ETag, async (path, version) =>
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            var bytes = new byte[HeaderLength + data.Length];
            Magic.CopyTo(bytes, 0);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), version + 1);
            data.Span.CopyTo(bytes.AsSpan(HeaderLength));
            try
            {
                await using (var file = new FileStream(temporary, PrivateFiles.Create(FileMode.CreateNew, FileOptions.Asynchronous)))
                {
                    await file.WriteAsync(bytes).ConfigureAwait(false);
                    NativeFile.DataSync(file.SafeFileHandle);
                }

                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            NativeFile.SyncDirectory(Path.GetDirectoryName(path)!);
            return Etag(version + 1);
        }).ConfigureAwait(false);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await UnderLockAsync(grainId, stateName, grainState.ETag, (path, _) =>
        {
            File.Delete(path);
            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                NativeFile.SyncDirectory(Path.GetDirectoryName(path)!);
            }

            return Task.FromResult<string?>(null);
        }).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    /// <summary>The file of a state; always inside the root.</summary>
    public string PathOf(GrainId grainId, string stateName)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var path = Path.Combine(_root, Escape(grainId.Type.ToString()!), Escape(grainId.Key.ToString()!), Escape(stateName) + ".state");
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException($"State path '{path}' would leave the storage directory.");
    }

    private async Task<string?> UnderLockAsync(GrainId grainId, string stateName, string? expectedEtag, Func<string, long, Task<string?>> change)
    {
        var path = PathOf(grainId, stateName);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = await ReadStoredAsync(path, grainId, stateName).ConfigureAwait(false);
            var stored = current is { } c ? Etag(c.Version) : null;
            if (!string.Equals(stored, expectedEtag, StringComparison.Ordinal))
            {
                LogConflict(logger, stateName, grainId, stored, expectedEtag);
                throw new InconsistentStateException(
                    $"State '{stateName}' of {grainId} changed since it was read (stored version {stored ?? "none"}, expected {expectedEtag ?? "none"}): read it again before writing.",
                    stored,
                    expectedEtag);
            }

            var etag = await change(path, current?.Version ?? 0).ConfigureAwait(false);
            LogChanged(logger, stateName, grainId, etag ?? "cleared");
            return etag;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(byte[] Data, long Version)?> ReadStoredAsync(string path, GrainId grainId, string stateName)
    {
        try
        {
            return await ReadFileAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, stateName, grainId, ex);
            throw;
        }
    }

    private T? Deserialize<T>(byte[] data, GrainId grainId, string stateName)
    {
        try
        {
            return serializer.Deserialize<T>(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnreadable(logger, stateName, grainId, ex);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grain state {State} of {Grain} written (version {Etag})")]
    private static partial void LogChanged(ILogger logger, string state, GrainId grain, string etag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state {State} of {Grain} was not written: it is at version {Stored}, the writer read {Expected} (two activations of one grain?)")]
    private static partial void LogConflict(ILogger logger, string state, GrainId grain, string? stored, string? expected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain state {State} of {Grain} cannot be read")]
    private static partial void LogUnreadable(ILogger logger, string state, GrainId grain, Exception exception);

    private static async Task<(byte[] Data, long Version)?> ReadFileAsync(string path)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not an Efflux grain state file (bad header).");
        }

        return (bytes[HeaderLength..], BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4)));
    }

    private static string Etag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A name as one safe path component: [A-Za-z0-9_-] kept, everything else (and dots) as %XX of its UTF-8 bytes.</summary>
    private static string Escape(string name)
    {
        if (name.Length == 0)
        {
            return "%";
        }

        var escaped = new StringBuilder(name.Length);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'-')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
