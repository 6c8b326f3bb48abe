using Efflux.Runtime.Calls;
using System.Collections.Concurrent;
using Efflux.Runtime.Hosting;
using Efflux.Runtime.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Activations;

/// <summary>
/// The activations of this silo, at most one per grain id: work for a grain goes to its activation, created on first
/// use; work that reaches an activation on its way out waits for it to go and then goes to a fresh one. Collects idle
/// activations and, at shutdown, deactivates them all. Thread-safe.
/// </summary>
internal sealed class Catalog : IDisposable
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly ITimer _idleCollection;
    private volatile bool _stopping;

    public Catalog(IServiceProvider services, IOptions<SiloOptions> options, TimeProvider time, CoarseClock clock, ILogger<Catalog> log)
    {
        Clock = clock;
        Services = services;
        Options = options.Value;
        Time = time;
        Log = log;
        _idleCollection = time.CreateTimer(static state => ((Catalog)state!).CollectIdle(), this, Options.IdleCollectionInterval, Options.IdleCollectionInterval);
    }

    public IServiceProvider Services { get; }

    public SiloOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The time at the clock's resolution, for idle ages.</summary>
    public CoarseClock Clock { get; }

    public ILogger Log { get; }

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Activations now present.</summary>
    public int Count => _activations.Count;

    /// <summary>True when this silo has an activation of the grain.</summary>
    public bool Contains(GrainId grainId) => _activations.ContainsKey(grainId);

    /// <summary>Activations by grain type.</summary>
    public Dictionary<string, int> CountByType()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in _activations.Keys)
        {
            counts[id.Type] = counts.GetValueOrDefault(id.Type) + 1;
        }

        return counts;
    }

    /// <summary>Hands a turn to the grain's activation, creating it when there is none.</summary>
    public void Dispatch(GrainId grainId, WorkItem item)
    {
        if (!_activations.TryGetValue(grainId, out var activation))
        {
            if (_stopping)
            {
                item.Fail(new SiloUnavailableException($"The silo is shutting down: {grainId} cannot be activated."));
                return;
            }

            if (GrainInterfaces.ClassOf(grainId.Type) is not { } grainClass)
            {
                item.Fail(new InvalidOperationException($"No grain class for grain type '{grainId.Type}' is loaded in this silo."));
                return;
            }

            var created = new Activation(this, grainId, grainClass);
            activation = _activations.GetOrAdd(grainId, created);
            if (ReferenceEquals(activation, created))
            {
                created.Start();
            }
        }

        if (!activation.TryEnqueue(item))
        {
            DispatchAfter(activation, grainId, item);
        }
    }

    // On its way out: one activation per grain, so wait until it is gone before starting the next. (A method of its own:
    // a lambda in Dispatch would capture its parameters and cost every call a closure.)
    private void DispatchAfter(Activation leaving, GrainId grainId, WorkItem item)
        => leaving.Deactivated.ContinueWith(_ => Dispatch(grainId, item), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// Sends away the activations of grains that now belong to another silo: each runs what is queued for it and
    /// deactivates, and the grain's next activation starts where its placement now is.
    /// </summary>
    public void DeactivateMisplaced(Func<GrainId, bool> belongsElsewhere)
    {
        var reason = new DeactivationReason(DeactivationReasonCode.PlacementChanged, "The cluster changed: the grain now belongs to another silo.");
        foreach (var activation in _activations.Values)
        {
            if (belongsElsewhere(activation.GrainId))
            {
                activation.RequestDeactivation(reason);
            }
        }
    }

    /// <summary>Forgets an activation that has gone.</summary>
    public void Remove(Activation activation) => _activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.GrainId, activation));

    /// <summary>
    /// Deactivates every activation (draining what is queued), waiting for each OnDeactivateAsync; no new activation
    /// starts. Activations still busy after the deactivation timeout are deactivated without waiting for their turns.
    /// </summary>
    public async Task DeactivateAllAsync()
    {
        _stopping = true;
        var all = _activations.Values.ToList();
        Log.Stopping(all.Count);
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        foreach (var activation in all)
        {
            activation.RequestDeactivation(reason);
        }

        try
        {
            await Task.WhenAll(all.Select(a => a.Deactivated)).WaitAsync(Options.DeactivationTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A turn that never ends must not hold the silo: give up on it, its caller times out.
            foreach (var activation in all.Where(a => !a.Deactivated.IsCompleted))
            {
                Log.Abandoned(activation.GrainId);
                activation.Abandon();
            }

            await Task.WhenAll(all.Select(a => a.Deactivated)).ConfigureAwait(false);
        }

        Log.Stopped();
    }

    public void Dispose() => _idleCollection.Dispose();

    private void CollectIdle()
    {
        var cutoff = Time.GetUtcNow() - Options.IdleCollectionAge;
        var reason = new DeactivationReason(DeactivationReasonCode.IdleCollection, $"No call for {Options.IdleCollectionAge}.");
        foreach (var activation in _activations.Values)
        {
            if (activation.LastUsed <= cutoff && activation.IsIdle)
            {
                activation.RequestDeactivation(reason);
            }
        }
    }
}
