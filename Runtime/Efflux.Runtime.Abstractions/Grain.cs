namespace Efflux.Runtime;

/// <summary>
/// Base class of grain implementations. An activation runs one turn at a time (unless the class is
/// <see cref="ReentrantAttribute"/> or a method is <see cref="AlwaysInterleaveAttribute"/> or
/// <see cref="ReadOnlyAttribute"/>), so its fields need no locks.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => Context.GrainId;

    /// <summary>References to other grains.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    private IGrainContext Context => _context ?? throw new InvalidOperationException("The grain is not activated: only the runtime creates grains.");

    /// <summary>The string key (the Guid form for Guid-keyed grains).</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>Called by the runtime, before the activation's first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called by the runtime before the activation goes away (idle collection, shutdown, explicit request).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>Runs a callback as a turn of this activation after a delay and then periodically.</summary>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => Context.RegisterTimer(callback, dueTime, period);

    /// <summary>Connects the grain to its activation. Called once, by the runtime, right after construction.</summary>
    /// <exception cref="InvalidOperationException">The grain is already attached.</exception>
    public void Attach(IGrainContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Interlocked.CompareExchange(ref _context, context, null) is not null)
        {
            throw new InvalidOperationException("The grain is already attached to an activation.");
        }
    }
}
