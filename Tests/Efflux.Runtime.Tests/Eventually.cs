namespace Efflux.Runtime.Tests;

/// <summary>Waits for a condition that other threads make true (polling, bounded), instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(5);
        }
    }

    /// <summary>Retries a call (and its assertions) that fails while the cluster settles, until it succeeds (bounded).</summary>
    public static async Task<T> Succeeds<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
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
