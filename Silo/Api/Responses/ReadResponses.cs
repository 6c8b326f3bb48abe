using System.Text.Json;

namespace Efflux.Silo.Api.Responses;

/// <summary>
/// A stored message as the read routes write it (streamed by <c>MessageJson</c>, not serialized through this type,
/// which describes the shape for the OpenAPI document).
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset.</param>
/// <param name="Id">The id, unique per topic.</param>
/// <param name="Timestamp">Event time.</param>
/// <param name="Created">Append time.</param>
/// <param name="DataType">The kind of event.</param>
/// <param name="ContentType">The payload's MIME type.</param>
/// <param name="ContentEncoding">The stored payload's encoding (gzip).</param>
/// <param name="MessageGroup">The message group.</param>
/// <param name="Properties">Application properties.</param>
/// <param name="Fingerprint">SHA-256 of the record's metadata.</param>
/// <param name="LinkedFingerprint">The previous record's fingerprint (the genesis value at offset 0).</param>
/// <param name="PayloadHash">SHA-256 of the stored payload.</param>
/// <param name="Data">The payload when it is JSON content.</param>
/// <param name="DataBase64">The payload otherwise, in base64.</param>
public sealed record MessageResponse(
    int Partition,
    long Offset,
    string Id,
    DateTimeOffset Timestamp,
    DateTimeOffset Created,
    string? DataType,
    string? ContentType,
    string? ContentEncoding,
    string? MessageGroup,
    IReadOnlyDictionary<string, string>? Properties,
    byte[] Fingerprint,
    byte[] LinkedFingerprint,
    byte[] PayloadHash,
    JsonElement? Data,
    byte[]? DataBase64);

/// <summary>Records of one or more partitions, and where each read stands.</summary>
/// <param name="Messages">The records, in offset order per partition.</param>
/// <param name="Partitions">Per partition read: the next offset to ask for, the end and the start.</param>
public sealed record MessageBatchResponse(IReadOnlyList<MessageResponse> Messages, IReadOnlyList<BatchPositionResponse> Partitions);

/// <summary>Where a read of one partition stands.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="NextOffset">The offset to read from next.</param>
/// <param name="EndOffset">The partition's next offset to be written.</param>
/// <param name="StartOffset">The oldest stored offset.</param>
public sealed record BatchPositionResponse(int Partition, long NextOffset, long EndOffset, long StartOffset);

/// <summary>Records found by the metadata index, oldest event time first.</summary>
/// <param name="Messages">The records.</param>
public sealed record SearchResponse(IReadOnlyList<MessageResponse> Messages);

/// <summary>The first offset at or after a time.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Time">The time asked for.</param>
/// <param name="Offset">The first offset whose event time is at or after it (the end offset when none is).</param>
public sealed record OffsetForTimeResponse(int Partition, DateTimeOffset Time, long Offset);
