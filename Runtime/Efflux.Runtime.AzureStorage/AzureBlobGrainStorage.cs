using System.Net;
using Efflux.Runtime.Storage;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;

namespace Efflux.Runtime.AzureStorage;

/// <summary>
/// Grain state in Azure Blob storage (Azurite locally): one block blob per state, <c>{grain type}/{grain key}/{state}</c>
/// (each part URI-escaped), its ETag the blob's. A write is conditional on that ETag (If-Match), or on the blob not
/// existing (If-None-Match: *) for a first write, so a stale writer gets <see cref="InconsistentStateException"/> and the
/// stored state stays the other writer's. Thread-safe. WindowsAzure.Storage 9.3.3 creates the en-US culture: an
/// application with invariant globalization must set <c>&lt;PredefinedCulturesOnly&gt;false&lt;/PredefinedCulturesOnly&gt;</c>.
/// </summary>
public sealed class AzureBlobGrainStorage(string connectionString, string containerName) : IGrainStorage
{
    private readonly CloudBlobContainer _container = CloudStorageAccount.Parse(connectionString).CreateCloudBlobClient().GetContainerReference(containerName);

    // The container's creation, started by the first call (two racing first calls both create: harmless).
    private Task? _ensureContainer;

    /// <inheritdoc />
    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(grainId, stateName).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        try
        {
            await blob.DownloadToStreamAsync(buffer, null, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.RequestInformation?.HttpStatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }

        return new StoredState(buffer.ToArray(), blob.Properties.ETag);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(grainId, stateName).ConfigureAwait(false);
        var condition = expectedEtag is null ? AccessCondition.GenerateIfNotExistsCondition() : AccessCondition.GenerateIfMatchCondition(expectedEtag);
        var bytes = data.ToArray();
        try
        {
            await blob.UploadFromByteArrayAsync(bytes, 0, bytes.Length, condition, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (IsConflict(ex))
        {
            throw await ConflictAsync(blob, grainId, stateName, expectedEtag, ex).ConfigureAwait(false);
        }

        return blob.Properties.ETag;
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(grainId, stateName).ConfigureAwait(false);
        if (expectedEtag is null)
        {
            if (await blob.ExistsAsync(null, null, cancellationToken).ConfigureAwait(false))
            {
                throw await ConflictAsync(blob, grainId, stateName, expectedEtag, null).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.None, AccessCondition.GenerateIfMatchCondition(expectedEtag), null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (IsConflict(ex) || ex.RequestInformation?.HttpStatusCode == (int)HttpStatusCode.NotFound)
        {
            throw await ConflictAsync(blob, grainId, stateName, expectedEtag, ex).ConfigureAwait(false);
        }
    }

    private static bool IsConflict(StorageException ex)
        => ex.RequestInformation?.HttpStatusCode is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict;

    private static async Task<InconsistentStateException> ConflictAsync(CloudBlockBlob blob, GrainId grainId, string stateName, string? expectedEtag, Exception? cause)
    {
        string? stored = null;
        try
        {
            await blob.FetchAttributesAsync().ConfigureAwait(false);
            stored = blob.Properties.ETag;
        }
        catch (StorageException)
        {
            // Gone in the meantime: nothing stored.
        }

        var message = $"State '{stateName}' of {grainId} changed since it was read (stored version {stored ?? "none"}, expected {expectedEtag ?? "none"}): read it again before writing.";
        return cause is null ? new InconsistentStateException(message, stored, expectedEtag) : new InconsistentStateException(message, cause);
    }

    private async Task<CloudBlockBlob> BlobAsync(GrainId grainId, string stateName)
    {
        var ensure = _ensureContainer ??= _container.CreateIfNotExistsAsync();
        try
        {
            await ensure.ConfigureAwait(false);
        }
        catch (StorageException)
        {
            _ensureContainer = null;
            throw;
        }

        return _container.GetBlockBlobReference($"{Uri.EscapeDataString(grainId.Type)}/{Uri.EscapeDataString(grainId.Key)}/{Uri.EscapeDataString(stateName)}");
    }
}
