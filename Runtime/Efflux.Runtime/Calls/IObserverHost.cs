namespace Efflux.Runtime.Calls;

/// <summary>Where observer references of a process come from: its silo or its cluster client.</summary>
internal interface IObserverHost
{
    ObserverReference<TObserver> CreateReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver;
}
