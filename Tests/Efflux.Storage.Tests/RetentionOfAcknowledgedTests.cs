using System.Runtime.CompilerServices;

namespace Efflux.Storage.Tests;

/// <summary>
/// What the log keeps of a request once it has been acknowledged: nothing. A request kept reachable after its ack is
/// not a leak that grows (it goes when its queue's storage goes), but every young-generation collection copies it
/// again; in a silo under durable appends that was megabytes per collection and pauses of 10-25 ms.
/// </summary>
public sealed class RetentionOfAcknowledgedTests
{
    [Theory]
    [InlineData(Durability.Durable)]
    [InlineData(Durability.Leader)]
    public async Task Appends_OnceAcknowledged_LeaveTheirPayloadsCollectable(Durability durability)
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var payloads = await AppendEachAsync(log, 64, durability);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The writer may still hold its last batch in a local; everything before it must be gone.
        var kept = payloads.Count(p => p.IsAlive);
        Assert.True(kept <= 1, $"{kept} of {payloads.Length} acknowledged payloads are still reachable from the log");
        Assert.Equal(64, log.NextOffset);
    }

    // Not inlined, so that no local of the test method keeps a payload alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference[]> AppendEachAsync(PartitionLog log, int count, Durability durability)
    {
        var payloads = new WeakReference[count];
        for (var i = 0; i < count; i++)
        {
            payloads[i] = await AppendOneAsync(log, i, durability);
        }

        return payloads;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> AppendOneAsync(PartitionLog log, int seed, Durability durability)
    {
        var payload = Logs.Payload(seed, 100);
        var weak = new WeakReference(payload);
        await log.AppendBatchAsync([new AppendMessage(payload)], durability);
        return weak;
    }
}
