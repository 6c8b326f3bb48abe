using System.Text;
using Microsoft.Playwright;

namespace Efflux.Service.Tests.Ui;

/// <summary>
/// One embedded silo process (its /ui sampling every half second, the Orleans dashboard on) and one headless system
/// Chromium driven by Playwright, shared by the page tests. Chromium is found on the PATH (test.sh installs the
/// Debian package); without it the tests fail, they do not skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "efflux-ui-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserFixture()
    {
        Silo = new SiloProcess(_data, ["--Efflux:Dashboard:Enabled=true", "--Efflux:Ui:SampleInterval=00:00:00.5"]);
    }

    public SiloProcess Silo { get; }

    public string DataDirectory => _data;

    public string BaseUrl => $"http://127.0.0.1:{Silo.HttpPort}";

    /// <summary>Where screenshots go when <c>EFFLUX_SCREENSHOTS</c> names a directory (the README's come from here).</summary>
    public static string? ScreenshotDirectory => Environment.GetEnvironmentVariable("EFFLUX_SCREENSHOTS");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        await Silo.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A page of a new browser context, recording console errors and uncaught exceptions into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1360, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return page;
    }

    /// <summary>Saves a full-page screenshot as <c>{name}.png</c> when screenshots are asked for.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        }
    }

    /// <summary>POSTs a produce body (JSON) to a topic and asserts it was accepted.</summary>
    public async Task ProduceAsync(string ns, string topic, string json)
    {
        using var response = await Silo.Http.PostAsync($"/v1/topics/{ns}/{topic}/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"produce to {ns}/{topic}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sends a request with a JSON or text body and asserts success.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await Silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Silo.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp directory is cleaned later.
        }
    }

    /// <summary>The system Chromium on the PATH.</summary>
    public static string Chromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var path = Path.Combine(directory, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new InvalidOperationException("No Chromium on the PATH: test.sh installs the Debian package 'chromium'.");
    }
}
