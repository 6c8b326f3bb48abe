using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Tests;

/// <summary>Generated proxies and requests carry every supported type through the wire format and back.</summary>
public sealed class GeneratedProxyTests
{
    private readonly EverythingGrain _grain = new();
    private readonly LoopbackInvoker _invoker;
    private readonly IEverythingGrain _proxy;

    public GeneratedProxyTests()
    {
        _invoker = new LoopbackInvoker(_grain);
        _proxy = GrainInterfaces.CreateProxy<IEverythingGrain>(new GrainId(GrainInterfaces.AliasOf<IEverythingGrain>(), "k1"), _invoker);
    }

    [Fact]
    public async Task Proxy_Primitives_RoundTripThroughBytes()
    {
        Assert.Equal(long.MaxValue - 1, await _proxy.AddAsync(long.MaxValue - 3, 2));
        Assert.Equal("héllo ✓", await _proxy.EchoAsync("héllo ✓", CancellationToken.None));
        Assert.Null(await _proxy.EchoAsync(null, CancellationToken.None));
        Assert.Equal(Severity.High, await _proxy.SeverityAsync(Severity.Low));
        await _proxy.PingAsync();
        Assert.Equal("everything", await _proxy.WhoAsync());
    }

    [Fact]
    public async Task Proxy_BytePayloads_TravelRaw()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var result = await _proxy.BytesAsync(payload, new byte[] { 7, 8 });
        Assert.Equal([.. payload, 7, 8], result);
        Assert.Null(await _proxy.BytesAsync(null, ReadOnlyMemory<byte>.Empty));

        // 1000 raw bytes + 2 raw bytes + two short length prefixes: no base64 (which would need 1,336+ bytes).
        var call = _invoker.Calls.First(c => c.Method == "tests.everything.BytesAsync");
        Assert.InRange(call.ArgumentBytes, 1002, 1010);
    }

    [Fact]
    public async Task Proxy_ContractsCollectionsAndNullables_RoundTrip()
    {
        var reading = new Reading("s1", 1.5) { Severity = Severity.High, Tags = ["a", "b"], Counters = new() { ["x"] = -5 } };
        var back = await _proxy.ReadAsync(reading, new Point { X = 2, Y = 3 });
        Assert.NotNull(back);
        Assert.Equal("s1", back.Sensor);
        Assert.Equal(6.5, back.Value);
        Assert.Equal(Severity.High, back.Severity);
        Assert.Equal(["a", "b"], back.Tags);
        Assert.Equal(-5, back.Counters!["x"]);
        Assert.Null(await _proxy.ReadAsync(null, default));

        var many = await _proxy.ManyAsync([reading, reading with { Sensor = "s2" }, reading with { Sensor = "s3" }], [1, null, 3]);
        Assert.Equal(["s1", "s2"], many.Select(r => r.Sensor));

        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.FromHours(2));
        var times = await _proxy.TimesAsync(new() { [id] = when }, TimeSpan.FromMinutes(5));
        Assert.Equal(when.AddMinutes(5), times[id]);
        Assert.Equal(when.Offset, times[id].Offset);
    }

    [Fact]
    public async Task Proxy_MethodAttributesAndIds_AreCarried()
    {
        await _proxy.SeverityAsync(Severity.Low);
        await _proxy.PingAsync();
        await _proxy.NotifyAsync("n1");
        Assert.Equal(["n1"], _grain.Notifications);
        Assert.Contains(_invoker.Calls, c => c.Method == "tests.everything.SeverityAsync" && c.Flags == CallFlags.ReadOnly);
        Assert.Contains(_invoker.Calls, c => c.Method == "tests.everything.PingAsync" && c.Flags == CallFlags.AlwaysInterleave);
        Assert.Contains(_invoker.Calls, c => c.Method == "tests.everything.NotifyAsync" && c.Flags == CallFlags.OneWay);
        Assert.All(_invoker.Calls, c => Assert.Equal(new GrainId("tests.everything", "k1"), c.Target));
    }

    [Fact]
    public async Task Proxy_CancellationTokenAndExceptions_ReachTheGrain()
    {
        using var cts = new CancellationTokenSource();
        await _proxy.EchoAsync("x", cts.Token);
        Assert.Equal(cts.Token, _grain.LastToken);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _proxy.FailAsync("boom"));
        Assert.Equal("boom", ex.Message);
        Assert.Contains(_invoker.Calls, c => c.Method == "tests.everything.fail");
    }

    [Fact]
    public void MethodIds_AreStableHashesOfTheAliases()
    {
        // FNV-1a (32-bit) of the UTF-8 alias, computed here independently: ids must not change between builds,
        // processes or machines.
        var hash = Fnv("tests.everything.AddAsync");
        var request = GrainInterfaces.CreateRequest(hash);
        Assert.NotNull(request);
        Assert.Equal("tests.everything.AddAsync", request.MethodName);
        Assert.Equal(hash, request.MethodId);
        Assert.Equal("tests.base.WhoAsync", GrainInterfaces.CreateRequest(Fnv("tests.base.WhoAsync"))!.MethodName);
    }

    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
