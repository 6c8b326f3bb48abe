namespace Efflux.Storage.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SaturatedPoolCollection
{
    public const string Name = "saturated thread pool";
}

/// <summary>
/// Appends while every thread-pool worker is blocked. Alone in its collection (run after the parallel ones), so the
/// blocked pool delays no other test.
/// </summary>
[Collection(SaturatedPoolCollection.Name)]
public sealed class SaturatedPoolTests
{
    [Fact]
    public async Task DurableAppend_IsWrittenAndSynced_WhileEveryPoolWorkerIsBlocked()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        await log.AppendAsync(Logs.Text("before"), Durability.Durable);

        using var release = new ManualResetEventSlim();
        var blockers = ThreadPool.ThreadCount + 32;
        using var ran = new CountdownEvent(blockers);
        Task<AppendResult[]> append;
        try
        {
            for (var i = 0; i < blockers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => { s.release.Wait(); s.ran.Signal(); }, (release, ran), preferLocal: false);
            }

            // Nothing below needs a pool thread: the append is queued on this thread, then written, synced and
            // completed by the log's own threads; the caller's continuation would need the pool, so no await here.
            append = log.AppendBatchAsync([new AppendMessage(Logs.Payload(1, 100))], Durability.Durable);
            Assert.True(SpinWait.SpinUntil(() => append.IsCompleted, TimeSpan.FromSeconds(10)), "the append waited for the thread pool");
            Assert.Equal(2, log.NextOffset);
        }
        finally
        {
            // Every blocker has left before the events are disposed.
            release.Set();
            ran.Wait(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(1, (await append)[0].Offset);
    }
}
