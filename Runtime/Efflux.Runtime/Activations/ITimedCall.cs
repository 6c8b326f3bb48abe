namespace Efflux.Runtime.Activations;

/// <summary>A call whose caller waits at most the call timeout.</summary>
internal interface ITimedCall
{
    /// <summary>Fails the caller's task with a timeout (the turn may still run; its result is dropped).</summary>
    void Expire(TimeSpan timeout);
}
