using System.Threading.RateLimiting;

namespace Efflux.Grains.Security;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>: it holds up to <c>burst</c> tokens and gains <c>rate</c> a second,
/// computed from the elapsed time at each request rather than by a timer. A refused lease carries the wait until the
/// tokens it asked for are there (<see cref="MetadataName.RetryAfter"/>). Requests never queue.
/// </summary>
public sealed class TokenBucket : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _updated;
    private long _idleSince;

    /// <summary>A full bucket of <paramref name="burst"/> tokens that refills at <paramref name="perSecond"/>.</summary>
    public TokenBucket(double perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        (_rate, _burst, _tokens) = (perSecond, burst, burst);
        _updated = _idleSince = time.GetTimestamp();
    }

    /// <summary>How long the bucket has been full (a full bucket is as good as a new one and can be dropped).</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= _burst ? _time.GetElapsedTime(_idleSince) : null;
            }
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (permitCount <= _tokens)
            {
                _tokens -= permitCount;
                return Lease.Granted;
            }

            var missing = Math.Min(permitCount, _burst) - _tokens;
            return new Lease(TimeSpan.FromSeconds(Math.Max(missing, 0) / _rate));
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        => ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var wasFull = _tokens >= _burst;
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_updated, now).TotalSeconds * _rate));
        _updated = now;
        if (!wasFull && _tokens >= _burst)
        {
            _idleSince = now;
        }
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static Lease Granted { get; } = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
