using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Host;

/// <summary>Security headers, the OpenAPI description, forwarded headers and secure cookies.</summary>
public sealed class HttpSurfaceTests
{
    private const string ApiKey = "staff-key-0123456789abcdef";

    private static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, bool staff = false)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (staff) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return request;
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_the_page_has_no_inline_script_or_style()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        foreach (var path in new[] { "/", "/chat.js", "/api/chat/welcome", "/api/khong-co" })
        {
            var response = await bot.Client.GetAsync(path);
            var csp = string.Join(" ", response.Headers.TryGetValues("Content-Security-Policy", out var v) ? v : []);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
        var page = await bot.Client.GetStringAsync("/");
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)[^>]*>"), page);
        Assert.DoesNotContain("<style", page);
        Assert.DoesNotContain(" style=", page);
        Assert.DoesNotMatch(new Regex(" on[a-z]+="), page);
    }

    [Fact]
    public async Task The_openapi_description_is_for_staff_only()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={ApiKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.Client.GetAsync("/openapi/v1.json")).StatusCode);
        var staff = await bot.Client.SendAsync(Request(HttpMethod.Get, "/openapi/v1.json", staff: true));
        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.Contains("/healthz", await staff.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> AskFromAsync(RunningBot bot, string forwardedFor)
    {
        using var request = Request(HttpMethod.Post, "/api/ask", "{\"text\": \"quên mật khẩu VNeID\"}");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await bot.Client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_forged_forwarded_for_changes_nothing_unless_it_comes_from_a_known_proxy()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var direct = await RunningBot.StartAsync(database, "--WebChat:MaxRequestsPerMinutePerIp=2"))
        {
            Assert.Equal(HttpStatusCode.OK, await AskFromAsync(direct, "203.0.113.1"));
            Assert.Equal(HttpStatusCode.OK, await AskFromAsync(direct, "203.0.113.2"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await AskFromAsync(direct, "203.0.113.3"));
        }
        await using var proxied = await RunningBot.StartAsync(database, "--WebChat:MaxRequestsPerMinutePerIp=2", "--Http:KnownProxies:0=127.0.0.1");
        for (var i = 1; i <= 3; i++)
            Assert.Equal(HttpStatusCode.OK, await AskFromAsync(proxied, $"203.0.113.{i}"));
    }

    [Fact]
    public async Task The_staff_cookie_is_secure_when_a_known_proxy_says_https()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, "--Http:KnownProxies:0=127.0.0.1");
        await using (var scope = bot.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var account = new StaffAccount { UserName = "canbo.lan", DisplayName = "Chị Lan", PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow };
            account.PasswordHash = new Microsoft.AspNetCore.Identity.PasswordHasher<StaffAccount>().HashPassword(account, "mat-khau-dai-12");
            db.StaffAccounts.Add(account);
            await db.SaveChangesAsync();
        }
        using var login = Request(HttpMethod.Post, "/api/admin/login", "{\"userName\": \"canbo.lan\", \"password\": \"mat-khau-dai-12\"}");
        login.Headers.Add("X-Forwarded-Proto", "https");
        login.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await bot.Client.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bot_staff=")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_known_proxy_that_is_not_an_address_stops_start_up_naming_the_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => RunningBot.StartAsync(database, "--Http:KnownProxies:0=proxy.local"));
        Assert.Contains("Http:KnownProxies", e.Message);
    }
}
