namespace Efflux.Runtime;

/// <summary>Creates references to grains (no call is made and nothing is activated until a method is called). Thread-safe.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with this key.</summary>
    TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with this key.</summary>
    TGrain GetGrain<TGrain>(Guid key)
        where TGrain : IGrainWithGuidKey;

    /// <summary>
    /// A reference through which grains can call <paramref name="observer"/>, a local object. The reference stays valid
    /// while this process keeps it (dispose it to stop receiving calls).
    /// </summary>
    ObserverReference<TObserver> CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver;
}
