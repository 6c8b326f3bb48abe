namespace Efflux.Runtime;

/// <summary>A grain-callable reference to a local observer object; disposing it stops calls to the object.</summary>
/// <typeparam name="TObserver">The observer interface.</typeparam>
public abstract class ObserverReference<TObserver> : IDisposable
    where TObserver : class, IGrainObserver
{
    /// <summary>The reference to pass to grains.</summary>
    public abstract TObserver Reference { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops calls to the observer.</summary>
    protected abstract void Dispose(bool disposing);
}
