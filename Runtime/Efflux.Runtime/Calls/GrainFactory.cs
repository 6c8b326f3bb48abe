using System.Globalization;
using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Calls;

/// <summary>Makes grain references whose calls go through the given invoker, and observer references of this process. Thread-safe.</summary>
internal sealed class GrainFactory(IGrainCallInvoker invoker, IObserverHost observers) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create<TGrain>(key);
    }

    public TGrain GetGrain<TGrain>(Guid key)
        where TGrain : IGrainWithGuidKey
        => Create<TGrain>(key.ToString("D", CultureInfo.InvariantCulture));

    public ObserverReference<TObserver> CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        return observers.CreateReference(observer);
    }

    private TGrain Create<TGrain>(string key)
        => GrainInterfaces.CreateProxy<TGrain>(new GrainId(GrainInterfaces.AliasOf<TGrain>(), key), invoker);
}
