namespace Efflux.Runtime.Invocation;

/// <summary>Base class of generated grain proxies: the grain's id and the invoker its calls go through. Immutable.</summary>
public abstract class GrainReference
{
    /// <summary>Creates a reference.</summary>
    protected GrainReference(GrainId grainId, IGrainCallInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        GrainId = grainId;
        Invoker = invoker;
    }

    /// <summary>The grain the proxy calls.</summary>
    public GrainId GrainId { get; }

    /// <summary>Where the calls go.</summary>
    protected IGrainCallInvoker Invoker { get; }

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();
}
