namespace Efflux.Storage;

/// <summary>A namespace, topic or path name that the storage rules reject. Nothing was written.</summary>
public sealed class InvalidNameException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidNameException(string kind, string? name, string reason)
        : base($"Invalid {kind} name '{name}': {reason}.", kind)
    {
        Kind = kind;
        Name = name;
        Reason = reason;
    }

    /// <summary>What the name was for: namespace, topic, path.</summary>
    public string Kind { get; }

    /// <summary>The rejected name.</summary>
    public string? Name { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}
