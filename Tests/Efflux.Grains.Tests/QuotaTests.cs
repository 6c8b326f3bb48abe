using System.Threading.RateLimiting;
using Efflux.Grains.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Efflux.Grains.Tests;

/// <summary>The token buckets behind the rate limits, on a fake clock: they refill at their rate and hold no more than their burst.</summary>
public sealed class QuotaTests
{
    [Fact]
    public void ABucket_GrantsItsBurst_ThenRefillsAtItsRate()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(perSecond: 4, burst: 3, time);
        Assert.Equal(3, Granted(bucket, 10));

        using (var refused = bucket.AttemptAcquire())
        {
            Assert.False(refused.IsAcquired);
            Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
            Assert.Equal(TimeSpan.FromMilliseconds(250), wait);
        }

        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(0, Granted(bucket, 10));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Granted(bucket, 10));

        // Over 10 seconds at 4 a second, 40 tokens come in, whenever they are asked for.
        var granted = 0;
        for (var step = 0; step < 100; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            granted += Granted(bucket, 10);
        }

        Assert.Equal(40, granted);
    }

    [Fact]
    public void AnIdleBucket_HoldsNoMoreThanItsBurst()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(perSecond: 100, burst: 5, time);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Granted(bucket, 1000));
        Assert.Equal(0, Granted(bucket, 1));
    }

    [Fact]
    public void Quotas_KeepABucketPerCallerNamespaceAndKind_AndRefuseWithTheWait()
    {
        var time = new FakeTimeProvider();
        using var quotas = new Quotas(Options.Create(new LimitsOptions { ProducePerSecond = 2, ProduceBurst = 1 }), time);
        quotas.Take("key:a", "orders", Quota.Produce);
        var refused = Assert.Throws<EffluxException>(() => quotas.Take("key:a", "orders", Quota.Produce));
        Assert.Equal(EffluxError.Throttled, refused.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);

        // Another caller, another namespace, and reads (no consume limit set) have buckets of their own.
        quotas.Take("key:b", "orders", Quota.Produce);
        quotas.Take("key:a", "shipping", Quota.Produce);
        for (var i = 0; i < 100; i++)
        {
            quotas.Take("key:a", "orders", Quota.Consume);
        }

        time.Advance(TimeSpan.FromMilliseconds(500));
        quotas.Take("key:a", "orders", Quota.Produce);
    }

    [Fact]
    public void WithoutRates_ThereIsNoLimiter_AndEveryCallPasses()
    {
        // A partitioned limiter runs a timer ten times a second; a silo without rates keeps none.
        using var unlimited = new Quotas(Options.Create(new LimitsOptions { MaxOpenReadsPerCaller = 2 }), new FakeTimeProvider());
        Assert.Null(unlimited.Limiter);
        for (var i = 0; i < 1000; i++)
        {
            unlimited.Take("key:a", "orders", Quota.Produce);
            unlimited.Take("key:a", "orders", Quota.Consume);
        }

        // One rate of either kind is enough to need one.
        using var consumeOnly = new Quotas(Options.Create(new LimitsOptions { ConsumePerSecond = 1 }), new FakeTimeProvider());
        Assert.NotNull(consumeOnly.Limiter);
        consumeOnly.Take("key:a", "orders", Quota.Consume);
        Assert.Equal(EffluxError.Throttled, Assert.Throws<EffluxException>(() => consumeOnly.Take("key:a", "orders", Quota.Consume)).Error);
    }

    [Fact]
    public void OpenReads_AreCappedPerCaller_AndFreedWhenClosed()
    {
        using var quotas = new Quotas(Options.Create(new LimitsOptions { MaxOpenReadsPerCaller = 2 }), new FakeTimeProvider());
        var first = quotas.OpenRead("key:a");
        using var second = quotas.OpenRead("key:a");
        using var elsewhere = quotas.OpenRead("key:b");
        Assert.Equal(EffluxError.Throttled, Assert.Throws<EffluxException>(() => quotas.OpenRead("key:a")).Error);
        first.Dispose();
        first.Dispose();
        using var third = quotas.OpenRead("key:a");
        Assert.Equal(EffluxError.Throttled, Assert.Throws<EffluxException>(() => quotas.OpenRead("key:a")).Error);
    }

    private static int Granted(TokenBucket bucket, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            using var lease = bucket.AttemptAcquire();
            granted += lease.IsAcquired ? 1 : 0;
        }

        return granted;
    }
}
