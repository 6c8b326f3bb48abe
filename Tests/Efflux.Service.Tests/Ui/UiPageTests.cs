using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Efflux.Service.Tests.Ui;

/// <summary>
/// The /ui pages in a real browser (system Chromium through Playwright) against a real silo process: each page loads
/// without console errors, shows the data the test produced, and takes live updates without a reload.
/// </summary>
public sealed partial class UiPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 20_000 };

    [Fact]
    public async Task Overview_ListsSilosAndTopicsWithTheirSilos_AndRatesAndCountsUpdateLive()
    {
        await fixture.SendAsync(HttpMethod.Put, "/v1/topics/ui-ov/orders", """{"partitions":2}""");
        await fixture.ProduceAsync("ui-ov", "orders", Messages(0, 10, i => $$$"""{"id":"o-{{{i}}}","data":{"n":{{{i}}}}}"""));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/");
        Assert.EndsWith("/ui/", page.Url, StringComparison.Ordinal);
        var row = page.Locator("tr[data-topic='ui-ov/orders']");
        await Expect(row.Locator(".stored")).ToHaveTextAsync("10", Live);
        await Expect(page.Locator($"#silos tr[data-silo='{fixture.Silo.SiloName}']")).ToContainTextAsync("Active");
        await Expect(row.Locator(".homes")).ToContainTextAsync($"0→{fixture.Silo.SiloName}");
        await Expect(row.Locator(".homes")).ToContainTextAsync($"1→{fixture.Silo.SiloName}");
        await Expect(page.Locator("#orleans-dashboard")).ToHaveAttributeAsync("href", "/dashboard/");

        // Produce steadily: the stored count and the in-rate change on the open page.
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var i = 10; !stop.IsCancellationRequested; i += 5)
            {
                await fixture.ProduceAsync("ui-ov", "orders", Messages(i, 5, n => $$$"""{"data":{"n":{{{n}}}}}"""));
                await Task.Delay(100);
            }
        });
        await Expect(row.Locator(".in")).Not.ToHaveTextAsync("0.0", Live);
        await Expect(row.Locator(".stored")).Not.ToHaveTextAsync("10", Live);
        await Expect(page.Locator("#rates-chart polyline[data-series='in (appended)']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await stop.CancelAsync();
        await producer;
        await BrowserFixture.ScreenshotAsync(page, "ui-overview");
        NoErrors(errors);
    }

    [Fact]
    public async Task TopicPage_BrowsesNewestFirst_ByOffsetIdAndSearch_ShowsJsonAndHex_AndFollowsNewMessages()
    {
        await fixture.SendAsync(HttpMethod.Put, "/v1/topics/ui-tp/events", """{"partitions":1,"retention":"7d"}""");
        await fixture.ProduceAsync("ui-tp", "events", Messages(0, 40, i =>
            $$$"""{"id":"e-{{{i}}}","dataType":"{{{(i % 2 == 0 ? "Tick" : "Tock")}}}","messageGroup":"g{{{i % 3}}}","properties":{"color":"{{{(i % 4 == 0 ? "blue" : "red")}}}"},"data":{"n":{{{i}}}}}"""));
        await fixture.ProduceAsync("ui-tp", "events", """{"messages":[{"id":"text-1","contentType":"text/plain","dataBase64":"aGVsbG8="}]}""");
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/ui/topic.html?ns=ui-tp&topic=events");
        await Expect(page.Locator("#title")).ToHaveTextAsync("ui-tp/events");
        await Expect(page.Locator("#partitions tr[data-partition='0'] .next")).ToHaveTextAsync("41", Live);
        await Expect(page.Locator("dd[data-field='Retention']")).ToHaveTextAsync("7d");

        // Newest first: the text message (offset 40) on top, then 39, …; a new message appears on top by itself.
        var messages = page.Locator("#messages article");
        await Expect(messages.First).ToHaveAttributeAsync("data-offset", "40", new() { Timeout = 20_000 });
        await Expect(messages).ToHaveCountAsync(25);
        await Expect(messages.Nth(1)).ToHaveAttributeAsync("data-offset", "39");
        await fixture.ProduceAsync("ui-tp", "events", """{"messages":[{"id":"late-1","dataType":"Tick","data":{"n":41}}]}""");
        await Expect(messages.First).ToHaveAttributeAsync("data-id", "late-1", new() { Timeout = 20_000 });
        await Expect(messages.First.Locator("pre.payload")).ToContainTextAsync("\"n\": 41");
        await BrowserFixture.ScreenshotAsync(page, "ui-topic");

        // By offset.
        await page.SelectOptionAsync("#mode", "offset");
        await page.FillAsync("#offset", "5");
        await page.ClickAsync("#show");
        await Expect(messages.First).ToHaveAttributeAsync("data-offset", "5");
        await Expect(messages.First.Locator("pre.json")).ToContainTextAsync("\"n\": 5");

        // By id.
        await page.SelectOptionAsync("#mode", "id");
        await page.FillAsync("#message-id", "e-7");
        await page.ClickAsync("#show");
        await Expect(messages).ToHaveCountAsync(1);
        await Expect(messages.First).ToHaveAttributeAsync("data-offset", "7");
        await Expect(messages.First).ToContainTextAsync("Tock");

        // Search: DataType and a property (every fourth even message is blue: 0, 4, 8, … 36 → 10 messages).
        await page.SelectOptionAsync("#mode", "search");
        await page.FillAsync("#data-type", "Tick");
        await page.FillAsync("#property-name", "color");
        await page.FillAsync("#property-value", "blue");
        await page.ClickAsync("#show");
        await Expect(messages).ToHaveCountAsync(10);
        foreach (var offset in await messages.EvaluateAllAsync<string[]>("list => list.map(m => m.dataset.offset)"))
        {
            Assert.Equal(0, int.Parse(offset, CultureInfo.InvariantCulture) % 4);
        }

        // By group.
        await page.FillAsync("#data-type", "");
        await page.FillAsync("#property-name", "");
        await page.FillAsync("#message-group", "g1");
        await page.ClickAsync("#show");
        await Expect(messages).ToHaveCountAsync(13);
        await Expect(messages.First).ToContainTextAsync("group g1");

        // Hex: the raw payload bytes with an offset column and the printable text.
        await page.SelectOptionAsync("#mode", "offset");
        await page.FillAsync("#offset", "40");
        await page.SelectOptionAsync("#payload-view", "hex");
        await page.ClickAsync("#show");
        await Expect(messages.First.Locator("pre.hex")).ToContainTextAsync("00000000  68 65 6c 6c 6f");
        await Expect(messages.First.Locator("pre.hex")).ToContainTextAsync("hello");
        await page.SelectOptionAsync("#payload-view", "json");
        await page.FillAsync("#offset", "3");
        await page.ClickAsync("#show");
        await Expect(messages.First.Locator("pre.json")).ToHaveTextAsync("{\n  \"n\": 3\n}");
        NoErrors(errors);
    }

    [Fact]
    public async Task VerifyButton_ShowsProgressThenOk_AndReportsTheFirstBadOffsetOfATamperedPartition()
    {
        await fixture.SendAsync(HttpMethod.Put, "/v1/topics/ui-vf/ledger", """{"partitions":2}""");
        for (var start = 0; start < 3000; start += 1000)
        {
            await fixture.ProduceAsync("ui-vf", "ledger", Messages(start, 1000, i => $$$"""{"messageGroup":"k","data":{"entry":"e{{{i:D6}}}"}}"""));
        }

        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/ui/topic.html?ns=ui-vf&topic=ledger");
        var stored = await Stored("ui-vf", "ledger");
        var full = stored.Single(p => p.Next == 3000).Partition;
        var row = page.Locator($"#partitions tr[data-partition='{full}']");
        await Expect(row.Locator(".next")).ToHaveTextAsync("3,000", Live);

        // 3,000 records verify in three slices: the progress bar shows each step, then the result.
        await page.EvaluateAsync("""
            () => {
              window.progressSeen = [];
              const record = () => document.querySelectorAll("#partitions progress.verify-progress:not([hidden])").forEach(p => window.progressSeen.push(p.value));
              new MutationObserver(record).observe(document.querySelector("#partitions tbody"), { childList: true, subtree: true });
            }
            """);
        await row.Locator("button.verify").ClickAsync();
        await Expect(row.Locator(".verify-result")).ToHaveTextAsync("ok: 3,000 records, offsets 0–2,999", Live);
        var progress = await page.EvaluateAsync<double[]>("() => window.progressSeen");
        Assert.Contains(progress, p => p > 0.3 && p < 0.7);
        await BrowserFixture.ScreenshotAsync(page, "ui-verify");

        // The signed head downloads as the same checkpoint the REST API gives, and verifies against the partition.
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("a.download").ClickAsync());
        var head = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal($"ui-vf-ledger-{full}-head.json", download.SuggestedFilename);
        using (var json = JsonDocument.Parse(head))
        {
            Assert.Equal(2999, json.RootElement.GetProperty("offset").GetInt64());
            Assert.Equal(full, json.RootElement.GetProperty("partition").GetInt32());
            Assert.StartsWith(json.RootElement.GetProperty("fingerprint").GetString()![..16], await row.Locator("td.mono").InnerTextAsync(), StringComparison.Ordinal);
        }

        var verified = await fixture.SendAsync(HttpMethod.Post, $"/v1/topics/ui-vf/ledger/partitions/{full}/verify-checkpoint", head);
        Assert.Contains("\"ok\":true", verified, StringComparison.Ordinal);

        // Flip one bit of record 2,500's payload on disk: the button reports that offset. (From here the page's own
        // reads of the damaged partition fail too, as they should, so console errors are checked before.)
        NoErrors(errors);
        var file = Directory.GetFiles(Path.Combine(fixture.DataDirectory, "ui-vf", "ledger", full.ToString(CultureInfo.InvariantCulture)), "*.log").Single();
        var bytes = await File.ReadAllBytesAsync(file);
        var at = IndexOf(bytes, Encoding.UTF8.GetBytes("e002500"));
        Assert.True(at > 0, "the payload of record 2,500 is in the segment file");
        bytes[at + 6] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);
        await row.Locator("button.verify").ClickAsync();
        await Expect(row.Locator(".verify-result")).ToHaveTextAsync(FailedAt2500(), Live);
    }

    [Fact]
    public async Task GroupsPage_ShowsCommittedOffsetsAndLag_AndUpdatesAsTheGroupCommits()
    {
        await fixture.SendAsync(HttpMethod.Put, "/v1/topics/ui-gr/payments", """{"partitions":2}""");
        await fixture.ProduceAsync("ui-gr", "payments", Messages(0, 20, i => $$$"""{"messageGroup":"m{{{i % 2}}}","data":{"n":{{{i}}}}}"""));
        var ends = await fixture.Silo.Http.GetStringAsync("/v1/topics/ui-gr/payments");
        await fixture.SendAsync(HttpMethod.Post, "/v1/topics/ui-gr/payments/groups/billing/commit", """{"partition":0,"offset":2}""");
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/ui/groups.html?ns=ui-gr&topic=payments");
        var group = page.Locator("section[data-group='billing']");
        var p0 = group.Locator("tr[data-partition='0']");
        await Expect(p0.Locator(".committed")).ToHaveTextAsync("2", Live);
        using var topic = JsonDocument.Parse(ends);
        var end0 = topic.RootElement.GetProperty("partitions")[0].GetProperty("nextOffset").GetInt64();
        var end1 = topic.RootElement.GetProperty("partitions")[1].GetProperty("nextOffset").GetInt64();
        await Expect(p0.Locator(".lag")).ToHaveTextAsync((end0 - 2).ToString(CultureInfo.InvariantCulture));
        await Expect(group.Locator("tr[data-partition='1'] .committed")).ToHaveTextAsync("—");
        await Expect(group.Locator(".tag.lag")).ToHaveTextAsync($"lag {end0 - 2 + end1}");

        await fixture.SendAsync(HttpMethod.Post, "/v1/topics/ui-gr/payments/groups/billing/commit", $$$"""{"partition":0,"offset":{{{end0}}}}""");
        await Expect(p0.Locator(".lag")).ToHaveTextAsync("0", Live);
        await Expect(p0.Locator(".committed")).ToHaveTextAsync(end0.ToString(CultureInfo.InvariantCulture));
        await Expect(group.Locator(".chart polyline")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await BrowserFixture.ScreenshotAsync(page, "ui-groups");
        NoErrors(errors);
    }

    [Fact]
    public async Task QueriesPage_ShowsTextStatusAndProgress_AndOutputRowsArriveAsTheQueryWritesThem()
    {
        await fixture.SendAsync(HttpMethod.Put, "/v1/topics/ui-q/readings", """{"partitions":1}""");
        await fixture.ProduceAsync("ui-q", "readings", Messages(0, 5, i => $$$"""{"data":{"sensor":"s{{{i}}}","temp":{{{20 + i}}}}}"""));
        await fixture.SendAsync(HttpMethod.Put, "/v1/queries/ui-q/copy", "SELECT sensor, temp FROM readings INSERT INTO warm;", "text/plain");
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/ui/queries.html");
        var query = page.Locator("section[data-query='ui-q/copy']");
        await Expect(query.Locator("h2 .status")).ToHaveTextAsync("running", Live);
        await Expect(query.Locator("pre.query-text")).ToHaveTextAsync("SELECT sensor, temp FROM readings INSERT INTO warm;");
        var rows = query.Locator("tr[data-output='warm']");
        await Expect(rows).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        await Expect(query.Locator("dd[data-field='Rows out']")).ToHaveTextAsync("5", Live);

        // New input: its row arrives on the open page, newest on top.
        await fixture.ProduceAsync("ui-q", "readings", """{"messages":[{"data":{"sensor":"fresh","temp":99}}]}""");
        await Expect(rows).ToHaveCountAsync(6, new() { Timeout = 30_000 });
        await Expect(rows.First).ToContainTextAsync("\"sensor\":\"fresh\"");
        await Expect(query.Locator("dd[data-field='Lag']")).ToHaveTextAsync("0", Live);
        await BrowserFixture.ScreenshotAsync(page, "ui-queries");
        NoErrors(errors);
    }

    private static void NoErrors(List<string> errors) => Assert.True(errors.Count == 0, "console errors: " + string.Join(" | ", errors));

    private static string Messages(int from, int count, Func<int, string> message)
        => "{\"messages\":[" + string.Join(",", Enumerable.Range(from, count).Select(message)) + "]}";

    private async Task<List<(int Partition, long Next)>> Stored(string ns, string topic)
    {
        using var json = JsonDocument.Parse(await fixture.Silo.Http.GetStringAsync($"/v1/topics/{ns}/{topic}"));
        return [.. json.RootElement.GetProperty("partitions").EnumerateArray().Select(p => (p.GetProperty("partition").GetInt32(), p.GetProperty("nextOffset").GetInt64()))];
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    [GeneratedRegex("^failed at offset 2500: ")]
    private static partial Regex FailedAt2500();
}
