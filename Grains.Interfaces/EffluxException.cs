using System.Globalization;

namespace Efflux;

/// <summary>What went wrong, in terms a caller can act on (each maps to one HTTP status).</summary>
[GenerateSerializer]
[Alias("efflux.EffluxError")]
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

    /// <summary>The request would take the cluster past a configured limit, such as the partitions a silo may keep (422).</summary>
    LimitExceeded,

    /// <summary>The call carries no credentials, or credentials the silo does not know (401).</summary>
    Unauthenticated,

    /// <summary>The credentials do not allow this on this namespace (403).</summary>
    Forbidden,

    /// <summary>A rate limit or a cap on concurrent reads is reached; try again after <see cref="EffluxException.RetryAfter"/> (429).</summary>
    Throttled,
}

/// <summary>
/// An error a caller of Efflux can cause or must handle. It crosses the grain transport whole, its <see cref="Error"/>
/// a field of its own: a grain's error reaches every caller, grain or client, as this type with the same kind.
/// </summary>
[GenerateSerializer]
[Alias("efflux.EffluxException")]
public class EffluxException : Exception
{
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
    [Id(0)]
    public EffluxError Error { get; private set; }

    /// <summary>For <see cref="EffluxError.Throttled"/>: how long to wait before trying again.</summary>
    [Id(1)]
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>
    /// The Efflux error an exception from a grain call stands for: the exception itself, or
    /// <see cref="EffluxError.Unavailable"/> when the silo that hosts the grain cannot be reached or the call timed out;
    /// null for anything else.
    /// </summary>
    public static EffluxException? From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            EffluxException own => own,
            SiloUnavailableException or OrleansMessageRejectionException
                => new EffluxException(EffluxError.Unavailable, "Partition unavailable: " + exception.Message),
            TimeoutException => new EffluxException(EffluxError.Unavailable, "Partition unavailable: no answer in time (" + exception.Message + ")"),
            _ => null,
        };
    }

    /// <summary>A 400 for a bad argument.</summary>
    public static EffluxException Invalid(string message) => new(EffluxError.InvalidRequest, message);

    /// <summary>A 404 for a missing topic.</summary>
    public static EffluxException NoTopic(string ns, string topic) => new(EffluxError.TopicNotFound, string.Create(CultureInfo.InvariantCulture, $"Topic {ns}/{topic} does not exist."));

    /// <summary>A 404 for a partition the topic does not have.</summary>
    public static EffluxException NoPartition(string ns, string topic, int partitions, int partition)
        => new(EffluxError.NotFound, string.Create(CultureInfo.InvariantCulture, $"Topic {ns}/{topic} has partitions 0 to {partitions - 1}; there is no partition {partition}."));

    /// <summary>A 429: the caller may try again after <paramref name="retryAfter"/>.</summary>
    public static EffluxException Throttled(string message, TimeSpan retryAfter) => new(EffluxError.Throttled, message) { RetryAfter = retryAfter };

    /// <summary>A 503 for a partition whose silo is not active (or which is closed).</summary>
    public static EffluxException Unavailable(string message) => new(EffluxError.Unavailable, message);
}
