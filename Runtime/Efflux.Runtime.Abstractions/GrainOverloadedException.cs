namespace Efflux.Runtime;

/// <summary>
/// The grain's activation already has the maximum number of calls waiting: the call is refused rather than queued
/// without bound. Nothing ran; retry later or spread the load over more grains.
/// </summary>
public sealed class GrainOverloadedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainOverloadedException()
        : base("The grain has too many calls waiting.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainOverloadedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
