using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>One turn waiting for, or running in, an activation: a call or a timer tick.</summary>
internal abstract class WorkItem
{
    public abstract CallFlags Flags { get; }

    /// <summary>Runs on the activation's scheduler; the outcome is kept for <see cref="Complete"/>.</summary>
    public abstract Task RunAsync(Grain grain);

    /// <summary>
    /// Hands the outcome to whoever waits, once the activation has recorded the end of the turn (so a caller that
    /// proceeds sees the activation idle, not still in its turn).
    /// </summary>
    public virtual void Complete()
    {
    }

    /// <summary>Completes the item with an error without running it.</summary>
    public abstract void Fail(Exception error);
}
