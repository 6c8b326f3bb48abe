namespace Efflux;

/// <summary>The request-context entry in which an SDK client sends its API key with every grain call.</summary>
public static class ClientKey
{
    /// <summary>The entry's name.</summary>
    public const string Name = "efflux-api-key";
}
