using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Bot.Cli;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bot.Tests.Admin;

public sealed class StaffSessionTests(ITestOutputHelper output)
{
    private const string Password = "mat-khau-dai-12";

    private static async Task AddStaffAsync(RunningBot bot, string userName)
    {
        await using var scope = bot.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var account = new StaffAccount { UserName = userName, DisplayName = "Chị Lan", PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow };
        account.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(account, Password);
        db.StaffAccounts.Add(account);
        await db.SaveChangesAsync();
    }

    /// <summary>Requests carry exactly the cookie a test gives them: no cookie jar.</summary>
    private static HttpClient Cookieless(RunningBot bot) => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = bot.BaseAddress };

    /// <summary>Signs in and returns the session cookie as a browser would send it back.</summary>
    private static async Task<string> SignInAsync(RunningBot bot, string userName, string password = Password)
    {
        using var client = Cookieless(bot);
        var response = await client.PostAsJsonAsync("/api/admin/login", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bot_staff="));
        return cookie[..cookie.IndexOf(';')];
    }

    private static async Task<HttpStatusCode> WithCookieAsync(RunningBot bot, HttpMethod method, string path, string cookie)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        using var client = Cookieless(bot);
        return (await client.SendAsync(request)).StatusCode;
    }

    private static async Task<int> CliAsync(TestDatabase database, string input, params string[] args) =>
        await CliRunner.RunAsync([.. args, .. database.Args], new StringReader(input), new StringWriter(), new StringWriter());

    [Fact]
    public async Task Logout_disable_and_a_password_change_end_a_staff_session_at_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await AddStaffAsync(bot, "canbo.lan");
        await AddStaffAsync(bot, "canbo.hoa");

        var loggedOut = await SignInAsync(bot, "canbo.lan");
        var other = await SignInAsync(bot, "canbo.lan");
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", loggedOut));
        Assert.Equal(HttpStatusCode.NoContent, await WithCookieAsync(bot, HttpMethod.Post, "/api/admin/logout", loggedOut));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", loggedOut));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", other));

        Assert.Equal(0, await CliAsync(database, "mat-khau-moi-345\n", "staff", "password", "canbo.lan"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", other));
        var renewed = await SignInAsync(bot, "canbo.lan", "mat-khau-moi-345");
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", renewed));

        var hoa = await SignInAsync(bot, "canbo.hoa");
        Assert.Equal(0, await CliAsync(database, "", "staff", "disable", "canbo.hoa"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", hoa));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", renewed));
    }

    [Fact]
    public async Task A_staff_session_ends_at_its_absolute_lifetime_however_busy()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, "--Admin:SessionLifetime=00:00:03");
        await AddStaffAsync(bot, "canbo.lan");
        var lifetime = TimeSpan.FromSeconds(3);
        var sinceSignIn = Stopwatch.StartNew(); // started before the session exists: an upper bound of its age
        var cookie = await SignInAsync(bot, "canbo.lan");
        var sinceSession = Stopwatch.StartNew(); // started after the session exists: a lower bound of its age
        while (sinceSignIn.Elapsed < TimeSpan.FromSeconds(2))
        {
            var status = await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", cookie);
            // Only an answer that certainly came before the end must be OK (a loaded machine may answer late).
            if (sinceSignIn.Elapsed < lifetime) Assert.Equal(HttpStatusCode.OK, status);
            await Task.Delay(250);
        }
        // A loaded machine may take a while to sign in: wait until the session is certainly past its end.
        while (sinceSession.Elapsed < lifetime + TimeSpan.FromSeconds(0.5)) await Task.Delay(100);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(bot, HttpMethod.Get, "/api/admin/me", cookie));
    }

    private static double Median(double[] times) => times.Order().Skip(1).Take(2).Average();

    [Fact]
    public async Task Signing_in_as_an_unknown_user_takes_as_long_as_a_wrong_password()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database);
        await AddStaffAsync(bot, "canbo.lan");

        // Wall-clock noise on a shared machine only ever adds time: the two users are tried in turn and minima are
        // compared with a generous factor. Whatever includes a password check (a known user, the check alone) bounds
        // its cost from above; an unknown user must pay it too (before the fix it cost a database lookup only).
        async Task<double> TimeMs(string userName)
        {
            var watch = Stopwatch.StartNew();
            var response = await bot.Client.PostAsJsonAsync("/api/admin/login", new { userName, password = "sai-mat-khau-123" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return watch.Elapsed.TotalMilliseconds;
        }
        // Warm-up: the first request pays for JIT. The login limit is 10 a minute: 1 + 4 + 4 requests.
        await TimeMs("canbo.lan");
        var known = new double[4];
        var unknown = new double[4];
        for (var i = 0; i < 4; i++)
        {
            known[i] = await TimeMs("canbo.lan");
            unknown[i] = await TimeMs("khong.co.ai");
        }
        var hasher = new PasswordHasher<StaffAccount>();
        var sample = new StaffAccount { UserName = "x", DisplayName = "x", PasswordHash = "" };
        var hash = hasher.HashPassword(sample, Password);
        var check = Enumerable.Range(0, 5).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            hasher.VerifyHashedPassword(sample, hash, "sai-mat-khau-123");
            return watch.Elapsed.TotalMilliseconds;
        }).Min();
        output.WriteLine($"sign-in refused: known user {known.Min():F1} ms (median {Median(known):F1}), unknown user {unknown.Min():F1} ms " +
                         $"(median {Median(unknown):F1}); one password check {check:F1} ms");
        var hashCost = Math.Min(known.Min(), check);
        Assert.True(unknown.Min() >= hashCost / 3, $"an unknown user is refused in {unknown.Min():F1} ms; a password check costs up to {hashCost:F1} ms");
    }
}
