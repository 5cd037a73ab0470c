using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Storage;
using Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.WebChat;

public sealed class WebChatSessionTests
{
    private const string ApiKey = "staff-key-0123456789abcdef";

    private static HttpClient Browser(RunningBot bot) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = bot.BaseAddress };

    [Fact]
    public async Task The_server_issues_the_session_and_only_its_holder_reads_the_staff_reply_and_rates_the_answer()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, $"--Admin:ApiKeys:0={ApiKey}");
        using var resident = Browser(bot);
        using var stranger = Browser(bot);

        var asked = await resident.PostAsJsonAsync("/api/ask", new { text = "giá vàng hôm nay bao nhiêu", sessionId = "0912345678" });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var cookie = asked.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bot_chat="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(cookie.IndexOf(';') - "bot_chat=".Length >= 32, "the session id is too short to be unguessable");
        var body = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["handedOver"]!.GetValue<bool>());
        var turnId = body["turnId"]!.GetValue<long>();
        Assert.DoesNotContain(await bot.DbAsync(db => db.Residents.Select(r => r.PlatformUserId + r.ChatId).ToListAsync()),
            id => id.Contains("0912345678") || id.Contains(cookie["bot_chat=".Length..cookie.IndexOf(';')]));

        // The same session keeps its resident: a second question does not make a new one.
        Assert.Equal(HttpStatusCode.OK, (await resident.PostAsJsonAsync("/api/ask", new { text = "quên mật khẩu VNeID" })).StatusCode);
        Assert.Equal(1, await bot.DbAsync(db => db.Residents.CountAsync()));

        var handover = await bot.DbAsync(db => db.Handovers.SingleAsync());
        using var reply = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/handovers/{handover.Id}/reply")
        {
            Content = JsonContent.Create(new { text = "Chào bạn, giá vàng bạn xem trên báo điện tử nhé." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await bot.Client.SendAsync(reply)).StatusCode);

        // Knowing the id the resident once sent gives a stranger nothing.
        Assert.Empty((await stranger.GetFromJsonAsync<JsonArray>("/api/chat/replies?sessionId=0912345678"))!);
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.PostAsJsonAsync("/api/feedback", new { turnId, sessionId = "0912345678", helpful = false })).StatusCode);

        var replies = (await resident.GetFromJsonAsync<JsonArray>("/api/chat/replies"))!;
        Assert.Contains("giá vàng bạn xem", Assert.Single(replies)!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await resident.PostAsJsonAsync("/api/feedback", new { turnId, helpful = false })).StatusCode);
    }

    [Fact]
    public async Task The_web_chat_limit_is_a_setting_counted_per_session()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var bot = await RunningBot.StartAsync(database, "--WebChat:MaxRequestsPerMinutePerSession=2", "--WebChat:MaxRequestsPerMinutePerIp=50");
        using var first = Browser(bot);
        using var second = Browser(bot);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/api/ask", new { text = "quên mật khẩu VNeID" })).StatusCode);
        var refused = await first.PostAsJsonAsync("/api/ask", new { text = "quên mật khẩu VNeID" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("nhanh quá", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync("/api/ask", new { text = "quên mật khẩu VNeID" })).StatusCode);
    }

    [Fact]
    public async Task A_bad_web_chat_limit_stops_start_up_naming_the_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => RunningBot.StartAsync(database, "--WebChat:MaxRequestsPerMinutePerSession=0"));
        Assert.Contains("WebChat:MaxRequestsPerMinutePerSession", e.Message);
    }
}
