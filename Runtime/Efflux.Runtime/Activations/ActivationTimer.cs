namespace Efflux.Runtime.Activations;

/// <summary>
/// A grain timer: each tick is queued as a turn of the activation; a tick is skipped while the previous one has not
/// run yet, so ticks never pile up. Ends when disposed or when the activation deactivates.
/// </summary>
internal sealed class ActivationTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _pending;

    public CancellationToken Stopping => _stopping.Token;

    public void Start(TimeProvider time) => _timer = time.CreateTimer(static state => ((ActivationTimer)state!).Tick(), this, dueTime, period);

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _timer?.Dispose();
        activation.RemoveTimer(this);
        _stopping.Dispose();
    }

    private void Tick()
    {
        if (_stopping.IsCancellationRequested || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        activation.EnqueueTimerTick(this, async cancellationToken =>
        {
            try
            {
                await callback(cancellationToken);
            }
            finally
            {
                Volatile.Write(ref _pending, 0);
            }
        });
    }
}
