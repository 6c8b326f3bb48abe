using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Efflux.Service.Tests.Ui;

/// <summary>
/// With authentication on, the pages ask a browser for a key (Basic, the key as the password); with an administrator's
/// key they work, their own calls to /v1 included; anyone else is refused.
/// </summary>
public sealed class UiAuthTests
{
    [Fact]
    public async Task ABrowserGivenAnAdministratorsKey_UsesThePages_AndOthersAreRefused()
    {
        await using var keyed = await KeyedSilo.StartAsync([("admin", ["*=admin"]), ("reader", ["orders=read"])]);
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/orders/t/messages"))
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keyed.Keys["admin"]);
            create.Content = new StringContent("""{"messages":[{"data":{"n":0}},{"data":{"n":1}},{"data":{"n":2}}]}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await keyed.Silo.Http.SendAsync(create)).StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.Chromium(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var baseUrl = keyed.Silo.Http.BaseAddress!.ToString();

        var admin = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, HttpCredentials = new HttpCredentials { Username = "efflux", Password = keyed.Keys["admin"] } });
        var page = await admin.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        Assert.Equal(200, (await page.GotoAsync("/ui/topic.html?ns=orders&topic=t"))!.Status);
        await Expect(page.Locator("#partitions tr[data-partition='0'] .next")).ToHaveTextAsync("3", new() { Timeout = 20_000 });
        await Expect(page.Locator("#messages article").First).ToHaveAttributeAsync("data-offset", "2", new() { Timeout = 20_000 });
        Assert.Empty(errors);

        var reader = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, HttpCredentials = new HttpCredentials { Username = "efflux", Password = keyed.Keys["reader"] } });
        Assert.Equal(403, (await (await reader.NewPageAsync()).GotoAsync("/ui/"))!.Status);

        // Without a key the browser is challenged (a headless one cannot ask anybody, so ask through its request API).
        var nobody = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var challenged = await nobody.APIRequest.GetAsync("/dashboard/");
        Assert.Equal(401, challenged.Status);
        Assert.StartsWith("Basic realm=\"Efflux\"", challenged.Headers["www-authenticate"], StringComparison.Ordinal);
    }
}
