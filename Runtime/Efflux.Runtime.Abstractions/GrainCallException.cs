namespace Efflux.Runtime;

/// <summary>
/// A grain method threw on another silo: the original exception's type name and message travel back. The activation
/// that threw stays alive.
/// </summary>
public sealed class GrainCallException : Exception
{
    /// <summary>Creates the exception for a remote failure.</summary>
    public GrainCallException(string remoteType, string message)
        : base(message)
    {
        RemoteType = remoteType;
    }

    /// <summary>Creates the exception.</summary>
    public GrainCallException()
        : this(string.Empty, "A grain call failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainCallException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteType = innerException?.GetType().FullName ?? string.Empty;
    }

    /// <summary>The full type name of the exception the grain threw.</summary>
    public string RemoteType { get; }
}
