namespace Efflux.Runtime.Tests;

public sealed class GrainIdTests
{
    [Fact]
    public void StableHash_IsFnv1aOfTypeSlashKey_TheSameInEveryProcess()
    {
        // Placement depends on it: every silo, of any run, must compute the same value.
        var expected = 14695981039346656037UL;
        foreach (var c in "bench.echo/e1")
        {
            expected = (expected ^ c) * 1099511628211UL;
        }

        Assert.Equal(expected, new GrainId("bench.echo", "e1").StableHash);
    }

    [Fact]
    public void Equality_IsByTypeAndKey_NotByWhereTheSlashFalls()
    {
        // "a/b" + "c" and "a" + "b/c" hash alike; they are still different grains.
        var left = new GrainId("a/b", "c");
        var right = new GrainId("a", "b/c");
        Assert.Equal(left.StableHash, right.StableHash);
        Assert.NotEqual(left, right);
        Assert.True(left != right);
        Assert.Equal(new GrainId("a/b", "c"), left);
        Assert.Equal(new GrainId("a/b", "c").GetHashCode(), left.GetHashCode());
        Assert.Equal(2, new HashSet<GrainId> { left, right, new("a/b", "c") }.Count);
    }
}
