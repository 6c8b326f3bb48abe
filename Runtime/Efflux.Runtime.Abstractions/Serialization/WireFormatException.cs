namespace Efflux.Runtime.Serialization;

/// <summary>Bytes that are not valid Efflux wire format: truncated, or a length or value out of range.</summary>
public sealed class WireFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WireFormatException()
        : base("Invalid wire format.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
