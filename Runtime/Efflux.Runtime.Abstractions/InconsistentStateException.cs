namespace Efflux.Runtime;

/// <summary>
/// A grain state write or clear found a stored version other than the one the writer read: another writer got there
/// first. Nothing was written; read the state again before retrying.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base(message)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException()
        : base("The stored grain state changed since it was read.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The version in storage, when known.</summary>
    public string? StoredEtag { get; }

    /// <summary>The version the writer had.</summary>
    public string? CurrentEtag { get; }
}
