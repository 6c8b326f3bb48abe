using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>A window clause. Durations are in milliseconds.</summary>
/// <param name="Kind">The window type.</param>
/// <param name="Size">Size, gap or delay in milliseconds (time windows).</param>
/// <param name="Slide">Slide in milliseconds (SLIDING only).</param>
/// <param name="Count">Event count (LENGTH and LENGTHBATCH).</param>
/// <param name="TimeAttribute">The attribute holding the time (EXTERNALTIME).</param>
/// <param name="Position">Where it stands.</param>
public sealed record WindowSpec(WindowKind Kind, long? Size, long? Slide, long? Count, string? TimeAttribute, SourcePosition Position);
