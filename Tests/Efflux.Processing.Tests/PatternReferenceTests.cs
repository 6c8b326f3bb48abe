namespace Efflux.Processing.Tests;

/// <summary>The indexed pattern operator against a direct, unindexed reading of the contract on random streams.</summary>
public sealed class PatternReferenceTests
{
    [Fact]
    public void Match_RandomStreams_AgreeWithTheReference()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 60; trial++)
        {
            var events = new List<(long T, string Type, string K, int X)>();
            long t = 0;
            for (var i = 0; i < random.Next(1, 120); i++)
            {
                t += random.Next(0, 4);
                events.Add((t, random.Next(3) switch { 0 => "A", 1 => "B", _ => "C" }, $"k{random.Next(3)}", random.Next(10)));
            }

            var lines = events.Select(e => $"{{\"_timestamp\":{e.T},\"_data_type\":\"{e.Type}\",\"k\":\"{e.K}\",\"x\":{e.X}}}");
            var rows = QueryRunner.Run("SELECT a.x AS ax, b.x AS bx, c.x AS cx FROM s MATCH (a=A -> b=B -> c=C) WITHIN 8 ms FILTER a.x > 1 AND b.k = a.k AND c.k = b.k AND c.x >= b.x", lines);
            Assert.Equal(Reference(events, 8), rows);
        }
    }

    /// <summary>Every A starts a partial; each binds the first later event of its next step that passes that step's conjuncts.</summary>
    private static List<string> Reference(List<(long T, string Type, string K, int X)> events, long within)
    {
        var partials = new List<List<int>>();
        var rows = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            partials.RemoveAll(p => e.T - events[p[0]].T > within);
            var done = new List<List<int>>();
            foreach (var p in partials)
            {
                var ok = p.Count switch
                {
                    1 => e.Type == "B" && e.K == events[p[0]].K,
                    2 => e.Type == "C" && e.K == events[p[1]].K && e.X >= events[p[1]].X,
                    _ => false,
                };
                if (ok)
                {
                    p.Add(i);
                    if (p.Count == 3)
                    {
                        done.Add(p);
                    }
                }
            }

            foreach (var p in done.OrderBy(p => p[0]))
            {
                rows.Add($"{{\"ax\":{events[p[0]].X},\"bx\":{events[p[1]].X},\"cx\":{events[p[2]].X}}}");
                partials.Remove(p);
            }

            if (e.Type == "A" && e.X > 1)
            {
                partials.Add([i]);
            }
        }

        return rows;
    }
}
