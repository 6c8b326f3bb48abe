using System.Globalization;
using Efflux.Runtime.Membership;
using StackExchange.Redis;

namespace Efflux.Runtime.Redis;

/// <summary>
/// Membership in Redis: one hash per cluster, <c>efflux:{cluster}:members</c>, with a field per silo
/// ("host:port@generation" → "status|heartbeat ticks|suspecting silos separated by ;") and a <c>version</c> field. Every
/// update is a transaction conditional on the version it read (retried when another silo got there first), so
/// concurrent updates never lose each other's changes. Thread-safe.
/// </summary>
public sealed class RedisMembershipTable(IConnectionMultiplexer redis, string clusterId) : IMembershipTable
{
    private const string VersionField = "version";
    private const int MaxAttempts = 50;

    private readonly RedisKey _key = $"efflux:{clusterId}:members";

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<SiloAddress, MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(_key).ConfigureAwait(false);
        return fields.Where(f => f.Name != VersionField).ToDictionary(f => SiloAddress.Parse(f.Name!), f => Decode(f.Value!));
    }

    /// <inheritdoc />
    public async Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = false;
        await UpdateAsync(silo, current =>
        {
            var next = MembershipRules.WithStatus(current, status, now);
            result = next is not null || current?.Status == status;
            return next;
        }).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async Task<bool> HeartbeatAsync(SiloAddress silo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alive = false;
        await UpdateAsync(silo, current =>
        {
            var next = MembershipRules.WithHeartbeat(current, now);
            alive = next is not null;
            return next;
        }).ConfigureAwait(false);
        return alive;
    }

    /// <inheritdoc />
    public async Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress by, int votesForDeath, CancellationToken cancellationToken)
    {
        var status = SiloStatus.Dead;
        await UpdateAsync(suspect, current =>
        {
            if (current is null)
            {
                return null;
            }

            var next = MembershipRules.WithVote(current, by, votesForDeath);
            status = next.Status;
            return next;
        }).ConfigureAwait(false);
        return status;
    }

    /// <summary>Read the row and the version, compute the new row (null: no change), write both only if the version is unchanged.</summary>
    private async Task UpdateAsync(SiloAddress silo, Func<MembershipEntry?, MembershipEntry?> change)
    {
        var db = redis.GetDatabase();
        var field = silo.ToString();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var values = await db.HashGetAsync(_key, [VersionField, field]).ConfigureAwait(false);
            var version = values[0].IsNull ? (long?)null : (long)values[0];
            var next = change(values[1].IsNull ? null : Decode(values[1]!));
            if (next is null)
            {
                return;
            }

            var transaction = db.CreateTransaction();
            transaction.AddCondition(version is { } v ? Condition.HashEqual(_key, VersionField, v) : Condition.HashNotExists(_key, VersionField));
            _ = transaction.HashSetAsync(_key, [new HashEntry(field, Encode(next)), new HashEntry(VersionField, (version ?? 0) + 1)]);
            if (await transaction.ExecuteAsync().ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The membership row of {silo} kept changing under {MaxAttempts} attempts to update it.");
    }

    private static string Encode(MembershipEntry entry)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)entry.Status}|{entry.Heartbeat.UtcTicks}|{string.Join(';', entry.Suspicions)}");

    private static MembershipEntry Decode(string value)
    {
        var parts = value.Split('|');
        if (parts.Length != 3)
        {
            throw new FormatException($"'{value}' is not a membership row.");
        }

        return new MembershipEntry(
            (SiloStatus)int.Parse(parts[0], CultureInfo.InvariantCulture),
            new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero),
            parts[2].Length == 0 ? [] : parts[2].Split(';'));
    }
}
