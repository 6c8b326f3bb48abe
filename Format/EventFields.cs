namespace Efflux.Format;

/// <summary>
/// What an event of a live query takes from a record's metadata: its id, event time, type, group and payload encoding.
/// Read by <see cref="MetadataReader.ReadEventFields"/> without the hashes, the properties or the other fields.
/// </summary>
/// <param name="Id">The message id.</param>
/// <param name="Timestamp">UTC event time (the append time when the producer gave none).</param>
/// <param name="DataType">Application-defined type of the payload.</param>
/// <param name="ContentEncoding">Encoding of the stored payload (gzip), or null.</param>
/// <param name="MessageGroup">The message group.</param>
public readonly record struct EventFields(string Id, DateTime Timestamp, string? DataType, string? ContentEncoding, string? MessageGroup);
