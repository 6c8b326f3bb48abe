using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Calls;

/// <summary>
/// The time, refreshed by a timer every <see cref="Resolution"/> instead of read per call (a clock read per call and per
/// turn showed in profiles). Good for what only needs that precision: call deadlines and idle ages.
/// </summary>
internal sealed class CoarseClock : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _tick;
    private long _nowTicks;

    public CoarseClock(TimeProvider time, IOptions<SiloOptions> options)
    {
        _time = time;
        Resolution = TimeSpan.FromTicks(Math.Clamp(options.Value.CallTimeout.Ticks / 20, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        Refresh();
        _tick = time.CreateTimer(static state => ((CoarseClock)state!).Refresh(), this, Resolution, Resolution);
    }

    public TimeSpan Resolution { get; }

    public DateTimeOffset Now => new(Volatile.Read(ref _nowTicks), TimeSpan.Zero);

    public void Dispose() => _tick.Dispose();

    private void Refresh() => Volatile.Write(ref _nowTicks, _time.GetUtcNow().UtcTicks);
}
