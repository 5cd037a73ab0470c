using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bot.Tests.Console;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser). test.sh installs chromium when it runs as
/// root; only a non-root run without chromium skips the browser tests, and says so.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };

    private IPlaywright? playwright;
    public IBrowser Browser { get; private set; } = null!;

    public static string? SkipReason =>
        File.Exists(ChromiumPath) ? null
        : Environment.UserName == "root"
            ? null // test.sh installs it as root: its absence is a failure, not a skip
            : $"Browser tests NOT run: {ChromiumPath} is missing and this user (not root) cannot install it (apt-get install chromium).";

    public async Task InitializeAsync()
    {
        if (SkipReason is not null) return;
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = viewport ?? Laptop, Locale = "vi-VN", TimezoneId = "Asia/Ho_Chi_Minh",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a screenshot to BOT_CONSOLE_SCREENSHOTS (when set) as NAME-phone.png or NAME-laptop.png.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BOT_CONSOLE_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        var size = page.ViewportSize!.Width <= Phone.Width ? "phone" : "laptop";
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{size}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (playwright is null) return;
        await Browser.DisposeAsync();
        playwright.Dispose();
    }

    public static async Task CreateAccountAsync(RunningBot bot, string userName, string password, string role)
    {
        await using var scope = bot.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var account = new StaffAccount { UserName = userName, DisplayName = userName, PasswordHash = "", Role = role, CreatedAt = DateTimeOffset.UtcNow };
        account.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<StaffAccount>>().HashPassword(account, password);
        db.StaffAccounts.Add(account);
        await db.SaveChangesAsync();
    }

    /// <summary>Opens /admin, signs in through the form and waits for the console.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/admin");
        await page.FillAsync("#login-user", userName);
        await page.FillAsync("#login-password", password);
        await page.ClickAsync("#login-form button[type=submit]");
        await page.WaitForSelectorAsync("#app:not([hidden])");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "browser";
}

/// <summary>A fact that needs the browser: skipped, with the reason, only where chromium cannot be had.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ConsoleBrowser.SkipReason is { } reason) Skip = reason;
    }
}
