using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Efflux.Grains.Security;

/// <summary>
/// The silo's rate limits and caps: a <see cref="TokenBucket"/> per caller, namespace and <see cref="Quota"/>, shared by
/// the REST facade (through ASP.NET Core's rate limiting) and the grain calls of SDK clients; and the count of long
/// polls and streams each caller holds open.
/// </summary>
public sealed class Quotas : IDisposable
{
    private readonly LimitsOptions _limits;
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Quotas from <c>Efflux:Limits</c>, timed by <paramref name="time"/>.</summary>
    public Quotas(IOptions<LimitsOptions> limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        _limits = limits.Value;
        Limiter = Rate(Quota.Produce).PerSecond > 0 || Rate(Quota.Consume).PerSecond > 0
            ? PartitionedRateLimiter.Create<(string Caller, string Namespace, Quota Quota), (string, string, Quota)>(key =>
            {
                var (rate, burst) = Rate(key.Quota);
                return rate <= 0
                    ? RateLimitPartition.GetNoLimiter(Unlimited)
                    : RateLimitPartition.Get(key, _ => new TokenBucket(rate, burst > 0 ? burst : Math.Max(1, (int)Math.Ceiling(rate)), time));
            })
            : null;
    }

    /// <summary>
    /// The buckets, keyed by caller, namespace and quota; null when no rate is set. (A partitioned limiter runs a timer
    /// ten times a second to look after its buckets, which an idle silo without limits has no use for.)
    /// </summary>
    public PartitionedRateLimiter<(string Caller, string Namespace, Quota Quota)>? Limiter { get; }

    /// <summary>Takes a token, or throws 429 with the wait.</summary>
    /// <exception cref="EffluxException"><see cref="EffluxError.Throttled"/>.</exception>
    public void Take(string caller, string ns, Quota quota)
    {
        if (Rate(quota).PerSecond <= 0)
        {
            return;
        }

        using var lease = Limiter!.AttemptAcquire((caller, ns, quota));
        if (!lease.IsAcquired)
        {
            throw OverRate(caller, ns, quota, lease);
        }
    }

    /// <summary>The 429 for a refused lease: who, which rate, where, and the wait the lease names.</summary>
    public static EffluxException OverRate(string caller, string ns, Quota quota, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return EffluxException.Throttled(
            string.Create(CultureInfo.InvariantCulture, $"{caller} is over its {quota.ToString().ToLowerInvariant()} rate in namespace '{ns}' (Efflux:Limits); try again in {Math.Ceiling(wait.TotalMilliseconds)} ms."),
            wait);
    }

    /// <summary>Counts a long poll or stream of <paramref name="caller"/> until the result is disposed; 429 past the cap.</summary>
    /// <exception cref="EffluxException"><see cref="EffluxError.Throttled"/>.</exception>
    public IDisposable OpenRead(string caller)
    {
        var cap = _limits.MaxOpenReadsPerCaller;
        var now = _open.AddOrUpdate(caller, 1, (_, n) => n + 1);
        if (cap > 0 && now > cap)
        {
            Close(caller);
            throw EffluxException.Throttled(
                string.Create(CultureInfo.InvariantCulture, $"{caller} holds {cap} long polls and streams open, the most it may (Efflux:Limits:MaxOpenReadsPerCaller); close one or try again."),
                TimeSpan.FromSeconds(1));
        }

        return new Open(this, caller);
    }

    /// <inheritdoc/>
    public void Dispose() => Limiter?.Dispose();

    /// <summary>The one partition of every call that no rate applies to.</summary>
    private static readonly (string, string, Quota) Unlimited = ("", "", Quota.None);

    private (double PerSecond, int Burst) Rate(Quota quota) => quota switch
    {
        Quota.Produce => (_limits.ProducePerSecond, _limits.ProduceBurst),
        Quota.Consume => (_limits.ConsumePerSecond, _limits.ConsumeBurst),
        _ => (0, 0),
    };

    private void Close(string caller)
    {
        if (_open.AddOrUpdate(caller, 0, (_, n) => n - 1) <= 0)
        {
            _open.TryRemove(new KeyValuePair<string, int>(caller, 0));
        }
    }

    private sealed class Open(Quotas quotas, string caller) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                quotas.Close(caller);
            }
        }
    }
}
