namespace Efflux.Runtime.Calls;

/// <summary>
/// An observer reference inside one process: grains call the object directly (observer calls are not turns of an
/// activation, as in Orleans). After disposal, calls fail with <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class LocalObserverReference<TObserver>(TObserver observer) : ObserverReference<TObserver>
    where TObserver : class, IGrainObserver
{
    private TObserver? _observer = observer;

    public override TObserver Reference => _observer ?? throw new ObjectDisposedException(nameof(ObserverReference<TObserver>), "The observer reference was disposed.");

    protected override void Dispose(bool disposing) => _observer = null;
}
