using System.Collections.Concurrent;
using Efflux.Runtime.Activations;
using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Calls;

/// <summary>
/// Times out local calls with one periodic sweep instead of a timer per call (a timer per call cost more than the
/// call): calls in flight are tracked until they complete, and every tenth of the call timeout the ones past their
/// deadline fail with <see cref="GrainCallTimeoutException"/>. Thread-safe.
/// </summary>
internal sealed class CallTimeouts : IDisposable
{
    private readonly ConcurrentDictionary<ITimedCall, DateTimeOffset> _inFlight = new();
    private readonly TimeProvider _time;
    private readonly CoarseClock _clock;
    private readonly TimeSpan _timeout;
    private readonly ITimer _sweep;

    public CallTimeouts(TimeProvider time, CoarseClock clock, IOptions<SiloOptions> options)
    {
        _time = time;
        _clock = clock;
        _timeout = options.Value.CallTimeout;
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, _timeout.Ticks / 10));
        _sweep = time.CreateTimer(static state => ((CallTimeouts)state!).Sweep(), this, interval, interval);
    }

    public TimeSpan Timeout => _timeout;

    public void Track(ITimedCall call) => _inFlight[call] = _clock.Now + _timeout;

    public void Forget(ITimedCall call) => _inFlight.TryRemove(call, out _);

    public void Dispose() => _sweep.Dispose();

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (call, deadline) in _inFlight)
        {
            if (deadline <= now && _inFlight.TryRemove(call, out _))
            {
                call.Expire(_timeout);
            }
        }
    }
}
