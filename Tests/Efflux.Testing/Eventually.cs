namespace Efflux.Testing;

/// <summary>Waits for a condition that other threads make true (polling, bounded), instead of sleeping a fixed time.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds (at most 10 s, then fails).</summary>
    public static async Task WaitUntil(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("condition not reached within 10 s");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Retries a call (and its assertions) that fails while the cluster settles, until it succeeds (at most 20 s).</summary>
    public static Task<T> Succeeds<T>(Func<Task<T>> call) => Succeeds(call, TimeSpan.FromSeconds(20));

    /// <summary>Retries assertions that fail until the state they check is reached (at most 20 s).</summary>
    public static Task Succeeds(Func<Task> call) => Succeeds(call, TimeSpan.FromSeconds(20));

    /// <summary>Retries assertions that fail until the state they check is reached or <paramref name="limit"/> has passed.</summary>
    public static Task Succeeds(Func<Task> call, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Succeeds(
            async () =>
            {
                await call();
                return true;
            },
            limit);
    }

    /// <summary>Retries a call (and its assertions) until it succeeds or <paramref name="limit"/> has passed.</summary>
    public static async Task<T> Succeeds<T>(Func<Task<T>> call, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(call);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
