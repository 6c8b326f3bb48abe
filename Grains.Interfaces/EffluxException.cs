using System.Globalization;
using Efflux.Runtime;

namespace Efflux.Grains;

/// <summary>What went wrong, in terms a caller can act on (each maps to one HTTP status).</summary>
public enum EffluxError
{
    /// <summary>A malformed request: bad names, arguments or bodies (400).</summary>
    InvalidRequest,

    /// <summary>The topic does not exist (404).</summary>
    TopicNotFound,

    /// <summary>The partition, offset or message does not exist (404).</summary>
    NotFound,

    /// <summary>The topic exists with another configuration, or a commit would move backwards (409).</summary>
    Conflict,

    /// <summary>An expected-offset append found another next offset (412).</summary>
    OffsetMismatch,

    /// <summary>A message or request is larger than the limits allow (413).</summary>
    TooLarge,

    /// <summary>The offset is below the partition's start (deleted by retention) or beyond its end (416).</summary>
    OffsetOutOfRange,

    /// <summary>The silo holding the partition is down, or the partition is read-only after a storage failure (503).</summary>
    Unavailable,

    /// <summary>Records read failed their chain check: fingerprint, payload hash or link (500).</summary>
    Corrupt,
}

/// <summary>
/// An error a caller of Efflux can cause or must handle. It crosses the grain transport as its type name and message;
/// <see cref="From"/> turns what a grain call threw back into this type on the calling side.
/// </summary>
public class EffluxException : Exception
{
    private const string Prefix = "efflux:";

    /// <summary>An error of the given kind.</summary>
    public EffluxException(EffluxError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>An invalid request.</summary>
    public EffluxException()
        : this(EffluxError.InvalidRequest, "The request is invalid.")
    {
    }

    /// <summary>An invalid request.</summary>
    public EffluxException(string message)
        : this(EffluxError.InvalidRequest, message)
    {
    }

    /// <summary>An invalid request caused by another exception.</summary>
    public EffluxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = EffluxError.InvalidRequest;
    }

    /// <summary>The kind of error.</summary>
    public EffluxError Error { get; }

    /// <summary>The message with the error kind in front, as grains throw it across the wire.</summary>
    public static EffluxException Wire(EffluxError error, string message) => new(error, Prefix + error.ToString() + ":" + message);

    /// <summary>
    /// The Efflux error an exception from a grain call stands for: the exception itself, one rebuilt from a remote
    /// grain's error, or <see cref="EffluxError.Unavailable"/> for a silo that cannot be reached; null for anything else.
    /// </summary>
    public static EffluxException? From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case EffluxException own:
                return Unwrap(own.Message) ?? own;
            case GrainCallException remote when remote.RemoteType == typeof(EffluxException).FullName:
                return Unwrap(remote.Message) ?? new EffluxException(EffluxError.InvalidRequest, remote.Message);
            case SiloUnavailableException:
            case GrainCallException relayed when relayed.RemoteType == typeof(SiloUnavailableException).FullName:
                return new EffluxException(EffluxError.Unavailable, "Partition unavailable: " + exception.Message);
            case GrainCallException relayed when relayed.RemoteType == typeof(GrainOverloadedException).FullName:
                return new EffluxException(EffluxError.Unavailable, exception.Message);
            case GrainOverloadedException busy:
                return new EffluxException(EffluxError.Unavailable, busy.Message);
            default:
                return null;
        }
    }

    private static EffluxException? Unwrap(string message)
    {
        if (!message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf(':', Prefix.Length);
        return end > 0 && Enum.TryParse<EffluxError>(message.AsSpan(Prefix.Length, end - Prefix.Length), out var error)
            ? new EffluxException(error, message[(end + 1)..])
            : null;
    }

    /// <summary>
    /// Awaits a call to another grain, passing an Efflux error it throws on to this grain's caller unchanged (a remote
    /// grain's error would otherwise reach the caller as a failure of this grain).
    /// </summary>
    public static async Task Relay(Task call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call.ConfigureAwait(true); // stays on the calling grain's scheduler
        }
        catch (Exception ex) when (From(ex) is { } error)
        {
            throw Wire(error.Error, error.Message);
        }
    }

    /// <inheritdoc cref="Relay(Task)"/>
    public static async Task<T> Relay<T>(Task<T> call)
    {
        await Relay((Task)call).ConfigureAwait(true);
        return await call.ConfigureAwait(true);
    }

    /// <summary>A 400 for a bad argument.</summary>
    public static EffluxException Invalid(string message) => Wire(EffluxError.InvalidRequest, message);

    /// <summary>A 404 for a missing topic.</summary>
    public static EffluxException NoTopic(string ns, string topic) => Wire(EffluxError.TopicNotFound, string.Create(CultureInfo.InvariantCulture, $"Topic {ns}/{topic} does not exist."));
}
