namespace Efflux.Runtime;

/// <summary>A grain call got no response within the call timeout. The call may still run; its result is lost to the caller.</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException()
        : base("The grain call timed out.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
