using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>One turn waiting for, or running in, an activation: a call or a timer tick.</summary>
internal abstract class WorkItem
{
    public abstract CallFlags Flags { get; }

    /// <summary>Runs on the activation's scheduler.</summary>
    public abstract Task RunAsync(Grain grain);

    /// <summary>Completes the item with an error without running it.</summary>
    public abstract void Fail(Exception error);
}
