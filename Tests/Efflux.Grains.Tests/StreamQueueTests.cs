using Efflux.Format;
using Efflux.Grains.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;

namespace Efflux.Grains.Tests;

/// <summary>
/// The provider's queue cache on its own: what a subscriber's cursor sees when its queue stops reading a partition
/// (another queue reads it after a membership change) and later reads it again, as happens when a silo leaves and
/// comes back.
/// </summary>
public sealed class StreamQueueTests
{
    private static readonly StreamId Stream = EffluxStreams.Of("ns", "t", 0);

    /// <summary>Framed records <paramref name="count"/> long from <paramref name="first"/> (only their framing matters here).</summary>
    private static EffluxBatchContainer Records(long first, int count)
    {
        const int Length = RecordLayout.Overhead + 10;
        var block = new byte[Length * count];
        for (var i = 0; i < count; i++)
        {
            RecordLayout.WriteFrame(block.AsSpan(i * Length, Length), Length, 0);
        }

        return new EffluxBatchContainer(Stream, 0, first, count, block, new EffluxSequenceToken(0, first));
    }

    /// <summary>The offsets the cursor hands out until it has no more (moved as the pulling agent moves it).</summary>
    private static List<long> Drain(IQueueCacheCursor cursor)
    {
        var offsets = new List<long>();
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            var container = (EffluxBatchContainer)cursor.GetCurrent(out _)!;
            offsets.AddRange(Enumerable.Range(0, container.Count).Select(i => container.FirstOffset + i));
        }

        return offsets;
    }

    [Fact]
    public void ACursorKept_WhileItsQueueStopsReadingThePartitionAndLaterReadsItAgain_GetsTheRecordsReadAgain()
    {
        var queue = new StreamQueue(new EffluxStreamOptions(), NullLogger.Instance);
        var window = queue.Window(Stream, 0);
        queue.AddToCache([Records(0, 10)]);
        using var cursor = queue.GetCacheCursor(Stream, new EffluxSequenceToken(0, 0));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Drain(cursor));

        // Another queue reads the partition now: this one holds nothing of it, and its cursor waits.
        queue.Forget(Stream);
        Assert.False(window.Known);
        Assert.Equal(0, window.Count);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, cursor.MoveNextWithResult().Kind);

        // Read here again (from a checkpoint past what the cursor has had): the same window, and the cursor asks for
        // what it lacks, gets it, and goes on.
        var again = queue.Window(Stream, 0);
        queue.AddToCache([Records(15, 5)]);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, cursor.MoveNextWithResult().Kind);
        Assert.Equal(10, again.Rewind);
        again.Reset(10);
        queue.AddToCache([Records(10, 10)]);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), Drain(cursor));
        Assert.Same(window, again);
    }

    [Fact]
    public void ADroppedPartitionsWindow_GoesWithItsLastCursor_AndOneNotDroppedStaysWithout()
    {
        var queue = new StreamQueue(new EffluxStreamOptions(), NullLogger.Instance);
        var window = queue.Window(Stream, 0);
        var first = queue.GetCacheCursor(Stream, null);
        var second = queue.GetCacheCursor(Stream, null);

        // A cursor going while the partition is read leaves the window.
        first.Dispose();
        Assert.Same(window, queue.Window(Stream, 0));

        queue.Forget(Stream);
        Assert.True(window.Dropped);
        second.Dispose();
        Assert.NotSame(window, queue.Window(Stream, 0));

        // Without cursors, a dropped partition's window goes at once.
        var third = queue.Window(Stream, 0);
        queue.Forget(Stream);
        Assert.NotSame(third, queue.Window(Stream, 0));
    }
}
