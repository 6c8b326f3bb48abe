using Efflux.Runtime.GrainDirectory;
using StackExchange.Redis;

namespace Efflux.Runtime.Redis;

/// <summary>
/// The grain directory in Redis: one hash per cluster, <c>efflux:{cluster}:directory</c>, grain id → endpoint. Register
/// is HSETNX (the first silo wins); unregister deletes only under the condition that the field still names the
/// endpoint. Survives silo restarts, which is what keeps [DirectoryPlacement] grains with their data. Thread-safe.
/// </summary>
public sealed class RedisGrainDirectory(IConnectionMultiplexer redis, string clusterId) : IGrainDirectory
{
    private readonly RedisKey _key = $"efflux:{clusterId}:directory";

    /// <inheritdoc />
    public async Task<string?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().HashGetAsync(_key, grainId.ToString()).ConfigureAwait(false);
        return value.IsNull ? null : (string?)value;
    }

    /// <inheritdoc />
    public async Task<string> RegisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        if (await db.HashSetAsync(_key, grainId.ToString(), endpoint, When.NotExists).ConfigureAwait(false))
        {
            return endpoint;
        }

        return await LookupAsync(grainId, cancellationToken).ConfigureAwait(false) ?? await RegisterAsync(grainId, endpoint, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UnregisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_key, grainId.ToString(), endpoint));
        _ = transaction.HashDeleteAsync(_key, grainId.ToString());
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }
}
